package leadingindicator

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/bound"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/health"
	"github.com/momentum-dev/momentum/internal/record"
	"github.com/momentum-dev/momentum/internal/refs"
)

// decision is everything decide works out for one reconcile.
type decision struct {
	ready           metav1.Condition
	stalled         string
	events          []record.Event
	staleAt         time.Time
	nextMeasurement time.Time
	// recorded is true when a Runner's result is in this status.
	recorded bool
	// heldUntil, when set, is how long a new indicator waits for its
	// initiative before its first status write.
	heldUntil time.Time
}

// decide writes the measurement fields of the indicator's status and
// returns the decision. It reads no API and no clock.
func decide(obj *v1alpha1.LeadingIndicator, initiative *v1alpha1.Initiative, m measurement, now time.Time) decision {
	st := &obj.Status
	var freshness time.Duration
	if obj.Spec.Freshness != nil {
		freshness = obj.Spec.Freshness.Duration
	}
	limit := v1alpha1.DefaultHistoryLimit
	if obj.Spec.HistoryLimit != nil {
		limit = int(*obj.Spec.HistoryLimit)
	}
	samples := obj.Spec.Samples
	if m.attempted {
		at := metav1.NewTime(m.at.UTC().Truncate(time.Second))
		st.LastAttemptTime = &at
		if m.err != nil {
			st.ConsecutiveFailures++
			st.LastFailure = bound.Text(m.err.Error(), 512)
		} else {
			st.ConsecutiveFailures, st.LastFailure = 0, ""
			// A new measurement is history even when the value repeats:
			// its time advanced.
			samples = append(append([]v1alpha1.Sample(nil), samples...), v1alpha1.Sample{At: at, Value: m.value})
		}
	}
	st.History = health.MergeHistory(st.History, samples, limit)
	res := health.Evaluate(obj.Spec.Target, freshness, st.History, now)
	failureLimit := int32(v1alpha1.DefaultFailureLimit)
	if obj.Spec.FailureLimit != nil {
		failureLimit = *obj.Spec.FailureLimit
	}
	unavailable := obj.Spec.Source != nil && st.ConsecutiveFailures >= failureLimit
	if unavailable {
		res.Health = v1alpha1.HealthUnknown
	}
	if obj.Spec.Source == nil {
		st.LastAttemptTime, st.ConsecutiveFailures, st.LastFailure = nil, 0, ""
	}

	var d decision
	d.nextMeasurement = m.next
	prevHealth := st.Health
	st.Health, st.Freshness, st.Trend = res.Health, res.Freshness, res.Trend
	st.Value, st.MeasuredAt = nil, nil
	if res.Latest != nil {
		v, at := res.Latest.Value, res.Latest.At
		st.Value, st.MeasuredAt = &v, &at
	}
	d.staleAt = res.StaleAt
	summary := health.Describe(obj.Name, res.Health, res.Freshness, st.Value, obj.Spec.Target)
	if prevHealth != "" && prevHealth != res.Health {
		d.events = append(d.events, record.Event{Type: corev1.EventTypeNormal, Reason: v1alpha1.EventReasonHealthChanged,
			Note: fmt.Sprintf("Health changed from %s to %s: %s", prevHealth, res.Health, summary)})
	}

	switch {
	case unavailable:
		d.ready = conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonSourceUnavailable, fmt.Sprintf(
			"The source of %s failed %d times in a row (last: %s): check spec.source and the server it names; measurement goes on and recovers by itself",
			obj.Name, st.ConsecutiveFailures, st.LastFailure))
	case initiative == nil:
		d.ready = refs.InitiativeNotFound(obj.Namespace, obj.Spec.InitiativeRef.Name, "")
	case obj.Spec.Behavior != "" && !hasBehavior(initiative, obj.Spec.Behavior):
		d.ready = conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonBehaviorNotFound, fmt.Sprintf(
			"Behavior %s named in spec.behavior is not a behavior of Initiative %s: add it to the initiative's spec.behaviors or fix spec.behavior",
			obj.Spec.Behavior, initiative.Name))
	default:
		msg := summary
		if res.Trend != v1alpha1.TrendUnknown {
			msg += fmt.Sprintf(" (trend %s)", res.Trend)
		}
		d.ready = conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonMeasured, msg)
	}
	return d
}

func hasBehavior(it *v1alpha1.Initiative, name string) bool {
	for _, b := range it.Spec.Behaviors {
		if b.Name == name {
			return true
		}
	}
	return false
}
