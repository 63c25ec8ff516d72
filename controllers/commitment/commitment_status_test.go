package commitment

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/successindex"
)

var created = time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)

func commitment(behaviors ...string) *v1alpha1.Commitment {
	c := &v1alpha1.Commitment{ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "dana", CreationTimestamp: metav1.NewTime(created)}}
	c.Spec.InitiativeRef.Name = "customer-first"
	c.Spec.Owner.Name = "Dana Lee"
	c.Spec.Reviewer = "Sam"
	for i, b := range behaviors {
		c.Spec.Actions = append(c.Spec.Actions, v1alpha1.CommitmentAction{Name: "a" + string(rune('0'+i)), Horizon: v1alpha1.Horizon3Months, Behavior: b})
	}
	if len(behaviors) == 0 {
		c.Spec.Actions = []v1alpha1.CommitmentAction{{Name: "a0", Horizon: v1alpha1.Horizon3Months}}
	}
	return c
}

func TestDecide(t *testing.T) {
	initiative := &v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{Name: "customer-first"}}
	initiative.Spec.Behaviors = []v1alpha1.Behavior{{Name: "listen"}}
	cases := map[string]struct {
		obj        *v1alpha1.Commitment
		initiative *v1alpha1.Initiative
		prevReady  *metav1.Condition
		now        time.Time
		// ready is Ready's reason, overdue the ReviewOverdue status,
		// warnings the reasons of the Warnings.
		ready    string
		overdue  metav1.ConditionStatus
		warnings []string
		// overdueAlready: nothing more falls due by time alone.
		overdueAlready bool
	}{
		"new, not reviewed yet": {obj: commitment(), initiative: initiative, now: created.Add(time.Hour),
			ready: v1alpha1.ReasonNotReviewedYet, overdue: metav1.ConditionFalse},
		"no initiative: a Warning": {obj: commitment(), now: created.Add(time.Hour),
			ready: v1alpha1.ReasonInitiativeNotFound, overdue: metav1.ConditionFalse, warnings: []string{v1alpha1.ReasonInitiativeNotFound}},
		"no initiative, warned before": {obj: commitment(), now: created.Add(time.Hour), prevReady: &metav1.Condition{Type: v1alpha1.ConditionReady, Status: metav1.ConditionFalse, Reason: v1alpha1.ReasonInitiativeNotFound},
			ready: v1alpha1.ReasonInitiativeNotFound, overdue: metav1.ConditionFalse},
		"an unknown behavior": {obj: commitment("listen", "shout"), initiative: initiative, now: created.Add(time.Hour),
			ready: v1alpha1.ReasonBehaviorNotFound, overdue: metav1.ConditionFalse, warnings: []string{v1alpha1.ReasonBehaviorNotFound}},
		"the review is overdue": {obj: commitment(), initiative: initiative, now: created.AddDate(1, 0, 0),
			ready: v1alpha1.ReasonNotReviewedYet, overdue: metav1.ConditionTrue, warnings: []string{v1alpha1.ReasonReviewDue}, overdueAlready: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			if tc.prevReady != nil {
				tc.obj.Status.Conditions = []metav1.Condition{*tc.prevReady}
			}
			d := decide(tc.obj, tc.initiative, tc.now)
			g.Expect(d.ready.Reason).To(Equal(tc.ready))
			g.Expect(meta.FindStatusCondition(tc.obj.Status.Conditions, v1alpha1.ConditionReviewOverdue)).To(HaveField("Status", tc.overdue))
			var warnings []string
			for _, e := range d.events {
				g.Expect(e.Type).To(Equal(corev1.EventTypeWarning))
				warnings = append(warnings, e.Reason)
			}
			g.Expect(warnings).To(ConsistOf(tc.warnings))
			g.Expect(d.recheckAt.IsZero()).To(Equal(tc.overdueAlready), "a review not yet due falls due at a known time")
		})
	}
}

func TestDescribe(t *testing.T) {
	cases := map[string]struct {
		res  successindex.Result
		want string
	}{
		"an index": {res: successindex.Result{Index: ptr.To[int32](72), Quarter: "2026-Q3", Trend: v1alpha1.TrendImproving, Confidence: v1alpha1.ConfidenceHigh},
			want: "Success Index of Dana: 72 in 2026-Q3 (trend Improving, confidence High)"},
		"every action dropped": {res: successindex.Result{Quarter: "2026-Q3", Trend: v1alpha1.TrendUnknown, Confidence: v1alpha1.ConfidenceLow},
			want: "Success Index of Dana: no index (every reviewed action dropped) in 2026-Q3 (trend Unknown, confidence Low)"},
		"overdue actions, at most three named": {res: successindex.Result{Index: ptr.To[int32](50), Quarter: "2026-Q3", Trend: v1alpha1.TrendSteady, Confidence: v1alpha1.ConfidenceMedium, Overdue: []string{"a", "b", "c", "d"}},
			want: "Success Index of Dana: 50 in 2026-Q3 (trend Steady, confidence Medium); 4 action(s) overdue: a, b, c"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(describe("Dana", tc.res)).To(Equal(tc.want))
		})
	}
}

func TestMissingBehaviors(t *testing.T) {
	initiative := &v1alpha1.Initiative{}
	initiative.Spec.Behaviors = []v1alpha1.Behavior{{Name: "listen"}}
	cases := map[string]struct {
		obj        *v1alpha1.Commitment
		initiative *v1alpha1.Initiative
		want       []string
	}{
		"no initiative: nothing to compare": {obj: commitment("shout")},
		"all declared":                      {obj: commitment("listen"), initiative: initiative},
		"no behavior named":                 {obj: commitment(), initiative: initiative},
		"unknown ones, sorted, once":        {obj: commitment("shout", "listen", "mumble", "shout"), initiative: initiative, want: []string{"mumble", "shout"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(missingBehaviors(tc.obj, tc.initiative)).To(Equal(tc.want))
		})
	}
}
