package controllers_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// ---- Bad input: objects with every field set, and paths into them.

// richObjects are valid objects of every kind with every optional part set,
// so that any field of them can be made bad (by name: the base of a case).
func richObjects(ns string) map[string]client.Object {
	it := newInitiative(ns, "rich")
	it.Spec.MomentumWindow = &metav1.Duration{Duration: 720 * time.Hour}
	it.Spec.Stages = []v1alpha1.Stage{
		{Name: "Initiation", TargetDuration: &metav1.Duration{Duration: 2160 * time.Hour}, ExitCriteria: &v1alpha1.ExitCriteria{
			MinDuration: &metav1.Duration{Duration: 720 * time.Hour},
			Actions:     []v1alpha1.Action{{Name: "publish-why", Owner: "Dana Lee", Done: true}},
			Indicators: []v1alpha1.IndicatorCriterion{{Name: "employee-awareness", Health: v1alpha1.RequireOnTarget,
				Trend: v1alpha1.RequireImproving, TrendSamples: ptr.To(int32(3)), Improvement: &v1alpha1.Improvement{Percent: ptr.To(v1alpha1.Decimal("10"))}}},
			Approval: v1alpha1.ApprovalRequired,
		}},
		{Name: "Implementation"}, {Name: "Embedding"}, {Name: "Reinforcement"},
	}
	it.Spec.Approvals = []v1alpha1.Approval{{Stage: "Initiation", ApprovedBy: "Dana Lee"}}
	it.Spec.Reminders = []v1alpha1.Reminder{weeklyWhy()}
	it.Spec.Celebrations = &v1alpha1.Celebrations{Channel: "all-hands"}

	li := newIndicator(ns, "rich", "rich", "75", sample(1, "60"))
	li.Spec.Freshness = &metav1.Duration{Duration: 2160 * time.Hour}
	li.Spec.HistoryLimit, li.Spec.FailureLimit = ptr.To(int32(24)), ptr.To(int32(3))
	live := li.DeepCopy()
	live.Name, live.Spec.Samples = "live", nil
	live.Spec.Source = &v1alpha1.IndicatorSource{HTTP: &v1alpha1.HTTPSource{
		URL: "https://feedback.example.com/api/nps", JSONPath: "{.data.nps}", Interval: &metav1.Duration{Duration: 5 * time.Minute}}}
	return map[string]client.Object{
		"initiative": it, "indicator": li, "live": live,
		"channel": newChannel(ns, "rich", "all-hands-webhook"), "campaign": newCampaign(ns),
		"commitment": newCommitment(ns, "rich", "rich", "Dana Lee",
			reviewOf("2026-Q3", "2026-09-30", rated("call-detractors", v1alpha1.OutcomeOnTrack, 4))),
		"assessment": newAssessment(ns, "rich", "rich"),
	}
}

// jsonMap is obj as the API server receives it: its JSON (numbers stay
// numbers), without status.
func jsonMap(g Gomega, obj client.Object) map[string]any {
	data, err := json.Marshal(obj)
	g.Expect(err).NotTo(HaveOccurred())
	u := map[string]any{}
	g.Expect(json.Unmarshal(data, &u)).To(Succeed())
	delete(u, "status")
	return u
}

// setPath sets a dotted path such as spec.stages[0].name in u; raw is the
// JSON of the value.
func setPath(u map[string]any, path, raw string) error {
	var value any
	if err := json.Unmarshal([]byte(raw), &value); err != nil {
		return fmt.Errorf("value %s: %w", raw, err)
	}
	parts := strings.Split(path, ".")
	var node any = u
	for i, p := range parts {
		name, idx := p, -1
		if j := strings.Index(p, "["); j >= 0 {
			name = p[:j]
			idx, _ = strconv.Atoi(strings.TrimSuffix(p[j+1:], "]"))
		}
		m, ok := node.(map[string]any)
		if !ok {
			return fmt.Errorf("%s is not an object", strings.Join(parts[:i], "."))
		}
		last := i == len(parts)-1
		switch {
		case last && idx < 0:
			m[name] = value
			return nil
		case idx < 0:
			if _, ok := m[name]; !ok {
				m[name] = map[string]any{}
			}
			node = m[name]
		default:
			list, _ := m[name].([]any)
			if idx >= len(list) {
				return fmt.Errorf("%s has no item %d", name, idx)
			}
			if last {
				list[idx] = value
				return nil
			}
			node = list[idx]
		}
	}
	return nil
}

func kindOf(o client.Object) string {
	switch o.(type) {
	case *v1alpha1.Initiative:
		return "Initiative"
	case *v1alpha1.LeadingIndicator:
		return "LeadingIndicator"
	case *v1alpha1.Channel:
		return "Channel"
	case *v1alpha1.Commitment:
		return "Commitment"
	case *v1alpha1.CultureAssessment:
		return "CultureAssessment"
	}
	return "RecognitionCampaign"
}
