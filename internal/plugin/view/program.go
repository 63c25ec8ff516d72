package view

import (
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/delivery"
)

// Program is an initiative with the objects that report to it.
type Program struct {
	Initiative v1alpha1.Initiative
	// Indicators whose spec.initiativeRef names the initiative.
	Indicators []v1alpha1.LeadingIndicator
	// Campaigns whose spec.initiativeRef names the initiative.
	Campaigns []v1alpha1.RecognitionCampaign
}

// NewProgram keeps the indicators and campaigns of it, sorted by name.
func NewProgram(it v1alpha1.Initiative, inds []v1alpha1.LeadingIndicator, camps []v1alpha1.RecognitionCampaign) Program {
	p := Program{Initiative: it}
	for _, li := range inds {
		if li.Namespace == it.Namespace && li.Spec.InitiativeRef.Name == it.Name {
			p.Indicators = append(p.Indicators, li)
		}
	}
	for _, c := range camps {
		if c.Namespace == it.Namespace && c.Spec.InitiativeRef.Name == it.Name {
			p.Campaigns = append(p.Campaigns, c)
		}
	}
	sort.Slice(p.Indicators, func(i, j int) bool { return p.Indicators[i].Name < p.Indicators[j].Name })
	sort.Slice(p.Campaigns, func(i, j int) bool { return p.Campaigns[i].Name < p.Campaigns[j].Name })
	return p
}

func stageSpec(it *v1alpha1.Initiative, name string) *v1alpha1.Stage {
	for i := range it.Spec.Stages {
		if it.Spec.Stages[i].Name == name {
			return &it.Spec.Stages[i]
		}
	}
	return nil
}

func condition(conds []metav1.Condition, t string) *metav1.Condition {
	return meta.FindStatusCondition(conds, t)
}

// riskReasons splits the MomentumAtRisk message into its blockers, most
// severe first (the controller joins them with "; "); nil when on track.
func riskReasons(it *v1alpha1.Initiative) []string {
	c := condition(it.Status.Conditions, v1alpha1.ConditionMomentumAtRisk)
	if c == nil || c.Status != metav1.ConditionTrue {
		return nil
	}
	return strings.Split(c.Message, "; ")
}

// weakestLevel is the funnel level the weakest-link sentence names.
func weakestLevel(f *v1alpha1.Funnel) v1alpha1.FunnelLevelName {
	if f == nil {
		return ""
	}
	for _, l := range f.Levels {
		if strings.HasPrefix(f.WeakestLink, strings.ToLower(string(l.Level))+" is the weakest link") {
			return l.Level
		}
	}
	return ""
}

// failing says whether a reminder's newest finished delivery failed.
func failing(r v1alpha1.ReminderStatus) bool { return delivery.Failing(r) }

// target prints an indicator's target with its direction, e.g. ">= 75".
func target(t v1alpha1.Target) string {
	if t.Direction == v1alpha1.AtMost {
		return "<= " + t.Value.String()
	}
	return ">= " + t.Value.String()
}

func withUnit(v, unit string) string {
	switch unit {
	case "":
		return v
	case "percent":
		return v + "%"
	}
	return v + " " + unit
}
