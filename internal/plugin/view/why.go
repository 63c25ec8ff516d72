package view

import (
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/stages"
)

// Why says what holds the program back, in plain sentences, most important
// first: what stops the controller (Stalled, not Ready, suspended), then
// the current stage's unmet gates, the momentum risks (most severe first),
// the funnel's weakest link, and failing deliveries.
func Why(p Program) []string {
	it := &p.Initiative
	var out []string
	out = append(out, blockers(it)...)
	out = append(out, unmetGates(it)...)
	for _, r := range riskReasons(it) {
		out = append(out, "Momentum is at risk: "+sentence(r))
	}
	if f := it.Status.Funnel; f != nil && weakestLevel(f) != "" {
		out = append(out, "In the funnel (awareness, understanding, belief, action), "+sentence(f.WeakestLink))
	}
	out = append(out, deliveries(p)...)
	if len(out) == 0 {
		out = append(out, nothing(it))
	}
	return out
}

func blockers(it *v1alpha1.Initiative) []string {
	var out []string
	conds := it.Status.Conditions
	if c := condition(conds, v1alpha1.ConditionStalled); c != nil && c.Status == metav1.ConditionTrue {
		out = append(out, fmt.Sprintf("It is stalled (%s): %s", c.Reason, sentence(c.Message)))
	} else if c := condition(conds, v1alpha1.ConditionReady); c == nil {
		out = append(out, "The controller has not reconciled it yet: is the Momentum manager running?")
	} else if c.Status != metav1.ConditionTrue {
		out = append(out, fmt.Sprintf("It is not ready (%s): %s", c.Reason, sentence(c.Message)))
	}
	if it.Spec.Suspend != nil && *it.Spec.Suspend {
		out = append(out, "Stage progression is suspended (spec.suspend: true): remove it to let the initiative move on.")
	}
	return out
}

func unmetGates(it *v1alpha1.Initiative) []string {
	names := stages.Names(it.Spec)
	if it.Status.Stage != "" && indexOf(names, it.Status.Stage) == len(names)-1 {
		return nil // the last stage has no exit
	}
	var out []string
	for _, g := range it.Status.Gates {
		if !g.Met {
			out = append(out, fmt.Sprintf("Stage %s cannot be left yet: %s", it.Status.Stage, sentence(g.Message)))
		}
	}
	return out
}

func deliveries(p Program) []string {
	var out []string
	for _, r := range p.Initiative.Status.Reminders {
		if failing(r) {
			out = append(out, fmt.Sprintf("Reminder %s is failing: its newest delivery failed at %s (see the Jobs of CronJob %s).", r.Name, date(r.LastFailureTime.Time), r.CronJobName))
		}
	}
	for _, c := range p.Campaigns {
		for _, rej := range c.Status.Rejected {
			out = append(out, fmt.Sprintf("Campaign %s rejected nomination %s: %s", c.Name, rej.Name, sentence(rej.Reason)))
		}
	}
	return out
}

func nothing(it *v1alpha1.Initiative) string {
	names := stages.Names(it.Spec)
	if it.Status.Stage != "" && indexOf(names, it.Status.Stage) == len(names)-1 {
		return fmt.Sprintf("Nothing holds it back: it is in its last stage, %s, and momentum is on track.", it.Status.Stage)
	}
	return fmt.Sprintf("Nothing holds it back: every exit criterion of stage %s is met and momentum is on track.", it.Status.Stage)
}

// sentence ends s with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") {
		return s
	}
	return s + "."
}

// WhyText numbers the sentences under a heading naming the initiative.
func WhyText(p Program, s Style) string {
	var b strings.Builder
	b.WriteString(heading(s, "What holds %s/%s back, most important first:", p.Initiative.Namespace, p.Initiative.Name))
	for i, line := range Why(p) {
		fmt.Fprintf(&b, "%2d. %s\n", i+1, line)
	}
	return b.String()
}
