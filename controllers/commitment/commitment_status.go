package commitment

import (
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/record"
	"github.com/momentum-dev/momentum/internal/refs"
	"github.com/momentum-dev/momentum/internal/successindex"
)

// decision is everything decide works out for one reconcile.
type decision struct {
	ready     metav1.Condition
	events    []record.Event
	recheckAt time.Time
}

// decide writes the Success Index into the commitment's status and returns
// the decision. It reads no API and no clock.
func decide(obj *v1alpha1.Commitment, initiative *v1alpha1.Initiative, now time.Time) decision {
	st := &obj.Status
	prevReady := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionReady).DeepCopy()
	wasOverdue := meta.IsStatusConditionTrue(st.Conditions, v1alpha1.ConditionReviewOverdue)
	res := successindex.Evaluate(obj.Spec, obj.CreationTimestamp.Time, now)
	successindex.Apply(st, res)
	d := decision{recheckAt: res.RecheckAt}

	due := res.NextReviewDue.AddDate(0, 0, -1).Format(time.DateOnly) // the last day of the quarter
	if res.ReviewOverdue {
		msg := fmt.Sprintf("The review of %s's commitment was due by %s: %s and %s review it and add it to spec.reviews",
			obj.Spec.Owner.Name, due, obj.Spec.Owner.Name, obj.Spec.Reviewer)
		conditions.Set(&st.Conditions, v1alpha1.ConditionReviewOverdue, metav1.ConditionTrue, v1alpha1.ReasonReviewDue, msg, obj.Generation, now)
		if !wasOverdue {
			d.events = append(d.events, record.Event{Type: corev1.EventTypeWarning, Reason: v1alpha1.ReasonReviewDue, Note: msg})
		}
	} else {
		conditions.Set(&st.Conditions, v1alpha1.ConditionReviewOverdue, metav1.ConditionFalse, v1alpha1.ReasonReviewOnTime,
			fmt.Sprintf("Next review due by %s", due), obj.Generation, now)
	}

	switch missing := missingBehaviors(obj, initiative); {
	case initiative == nil:
		d.ready = refs.InitiativeNotFound(obj.Namespace, obj.Spec.InitiativeRef.Name, "")
	case len(missing) > 0:
		d.ready = conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonBehaviorNotFound, fmt.Sprintf(
			"Behavior %s named in spec.actions[].behavior is not a behavior of Initiative %s: add it to the initiative's spec.behaviors or fix the action",
			strings.Join(missing, ", "), initiative.Name))
	case res.Quarter == "":
		d.ready = conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonNotReviewedYet, fmt.Sprintf(
			"%s committed to %d actions; not reviewed yet, first review due by %s", obj.Spec.Owner.Name, res.Actions.Total, due))
	default:
		d.ready = conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonReviewed, describe(obj.Spec.Owner.Name, res))
	}
	d.events = append(d.events, conditions.Warning(prevReady, d.ready)...)
	return d
}

// describe says where the index stands, e.g. "Success Index of Dana Lee: 72
// in 2026-Q3 (trend Improving, confidence High); 1 action overdue".
func describe(owner string, res successindex.Result) string {
	idx := "no index (every reviewed action dropped)"
	if res.Index != nil {
		idx = fmt.Sprintf("%d", *res.Index)
	}
	msg := fmt.Sprintf("Success Index of %s: %s in %s (trend %s, confidence %s)", owner, idx, res.Quarter, res.Trend, res.Confidence)
	if n := len(res.Overdue); n > 0 {
		msg += fmt.Sprintf("; %d action(s) overdue: %s", n, strings.Join(res.Overdue[:min(n, 3)], ", "))
	}
	return msg
}

// missingBehaviors names the behaviors actions practise that the initiative
// does not declare.
func missingBehaviors(obj *v1alpha1.Commitment, it *v1alpha1.Initiative) []string {
	if it == nil {
		return nil
	}
	known := map[string]bool{}
	for _, b := range it.Spec.Behaviors {
		known[b.Name] = true
	}
	var missing []string
	for _, a := range obj.Spec.Actions {
		if a.Behavior != "" && !known[a.Behavior] {
			missing = append(missing, a.Behavior)
		}
	}
	slices.Sort(missing)
	return slices.Compact(missing)
}
