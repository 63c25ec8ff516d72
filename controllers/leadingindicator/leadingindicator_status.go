package leadingindicator

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/bound"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/health"
	"github.com/momentum-dev/momentum/internal/record"
)

// decision is everything decide works out for one reconcile.
type decision struct {
	// status is the indicator's new status, but for the
	// Ready/Reconciling/Stalled contract (conditions.Finish applies it).
	status          v1alpha1.LeadingIndicatorStatus
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

// blocked says why the indicator's source is not asked at all.
type blocked struct {
	// invalid is why spec.source cannot work (a query or jsonPath that does
	// not parse): nothing is requested until the spec changes.
	invalid error
	// refusal is why the source's Secret cannot be used for it.
	refusal string
}

// decide works out the indicator's new status from the measurement (if
// one was taken) and what blocks the source, as a chain of steps: record
// the attempt, judge the history, then Ready. It reads no API and no clock,
// and changes nothing it is given.
func decide(obj *v1alpha1.LeadingIndicator, initiative *v1alpha1.Initiative, m measurement, b blocked, now time.Time) decision {
	prevReady := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady)
	st := recordAttempt(obj.Spec, obj.Status, m)
	c := sourceCause(obj, st, m, b, prevReady, unavailable(obj.Spec, st))
	res := judge(obj.Spec, st, now, c.reason != "")
	st = withHealth(st, res)
	d := decision{status: st, staleAt: res.StaleAt, recorded: m.fromRunner}
	summary := health.Describe(obj.Name, res.Health, res.Freshness, st.Value, obj.Spec.Target)
	d.events = healthChanged(obj.Status.Health, res.Health, summary)
	d.nextMeasurement = nextMeasurement(c, m, now)
	d.ready, d.stalled = readyCondition(obj, initiative, res.Trend, summary, c)
	d.events = append(d.events, conditions.Warning(prevReady, d.ready)...)
	return d
}

// recordAttempt is the status with the measurement recorded: the attempt,
// the failure count, and a new sample in history. Without a source there
// is nothing to attempt, so the attempt fields are cleared.
func recordAttempt(spec v1alpha1.LeadingIndicatorSpec, prev v1alpha1.LeadingIndicatorStatus, m measurement) v1alpha1.LeadingIndicatorStatus {
	st := *prev.DeepCopy()
	samples := spec.Samples
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
	st.History = health.MergeHistory(st.History, samples, health.HistoryLimit(spec))
	if spec.Source == nil {
		st.LastAttemptTime, st.ConsecutiveFailures, st.LastFailure = nil, 0, ""
	}
	return st
}

// unavailable reports whether a live source failed failureLimit times in a
// row.
func unavailable(spec v1alpha1.LeadingIndicatorSpec, st v1alpha1.LeadingIndicatorStatus) bool {
	return spec.Source != nil && st.ConsecutiveFailures >= failureLimit(spec)
}

// judge evaluates health, freshness and trend from history. A source that
// cannot be measured (unmeasurable: whatever sourceCause names, be it a
// refusal after one attempt or failureLimit failures) leaves health
// Unknown at once: old history must not keep health gates passing.
func judge(spec v1alpha1.LeadingIndicatorSpec, st v1alpha1.LeadingIndicatorStatus, now time.Time, unmeasurable bool) health.Result {
	var freshness time.Duration
	if spec.Freshness != nil {
		freshness = spec.Freshness.Duration
	}
	res := health.Evaluate(spec.Target, freshness, st.History, now)
	if unmeasurable {
		res.Health = v1alpha1.HealthUnknown
	}
	return res
}

// withHealth is the status with the judgement recorded.
func withHealth(st v1alpha1.LeadingIndicatorStatus, res health.Result) v1alpha1.LeadingIndicatorStatus {
	st.Health, st.Freshness, st.Trend = res.Health, res.Freshness, res.Trend
	st.Value, st.MeasuredAt = nil, nil
	if res.Latest != nil {
		v, at := res.Latest.Value, res.Latest.At
		st.Value, st.MeasuredAt = &v, &at
	}
	return st
}

// healthChanged is the Event for a change of health; none for the first.
func healthChanged(prev, next v1alpha1.Health, summary string) []record.Event {
	if prev == "" || prev == next {
		return nil
	}
	return []record.Event{{Type: corev1.EventTypeNormal, Reason: v1alpha1.EventReasonHealthChanged,
		Note: fmt.Sprintf("Health changed from %s to %s: %s", prev, next, summary)}}
}

// failureLimit is how many failures in a row make a source unavailable.
func failureLimit(spec v1alpha1.LeadingIndicatorSpec) int32 {
	if spec.FailureLimit != nil {
		return *spec.FailureLimit
	}
	return v1alpha1.DefaultFailureLimit
}

func hasBehavior(it *v1alpha1.Initiative, name string) bool {
	for _, b := range it.Spec.Behaviors {
		if b.Name == name {
			return true
		}
	}
	return false
}
