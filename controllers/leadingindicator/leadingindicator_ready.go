package leadingindicator

import (
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/refs"
	"github.com/momentum-dev/momentum/internal/sources"
)

// cause is what is wrong with the indicator's source, for Ready; the zero
// value means nothing is.
type cause struct {
	// reason is Ready's reason, and Stalled's when stalled is true: the
	// source cannot work until its spec changes.
	reason, message string
	stalled         bool
}

// sourceCause is what is wrong with the indicator's source, most pressing
// first: a spec that cannot work (a query that does not parse, a URL the
// outbound policy refuses), a Secret that cannot be used, failureLimit
// failures in a row.
func sourceCause(obj *v1alpha1.LeadingIndicator, st v1alpha1.LeadingIndicatorStatus, m measurement, b blocked, prevReady *metav1.Condition, unavailable bool) cause {
	switch {
	case b.invalid != nil:
		return cause{reason: v1alpha1.ReasonSourceInvalid, stalled: true, message: fmt.Sprintf(
			"spec.source of %s cannot be measured: %v; fix it (nothing is requested until then)", obj.Name, b.invalid)}
	case b.refusal != "":
		// Secrets are not watched: look again after a while, or at once
		// when the indicator is annotated.
		return cause{reason: v1alpha1.ReasonSecretNotUsable, message: fmt.Sprintf(
			"spec.source of %s cannot use its Secret: %s (nothing is requested until then)", obj.Name, b.refusal)}
	case m.attempted && sources.ClassOf(m.err) == sources.ClassInvalidSpec:
		return cause{reason: v1alpha1.ReasonSourceInvalid, stalled: true, message: fmt.Sprintf(
			"spec.source of %s cannot be measured: %s; fix spec.source (retrying cannot help)", obj.Name, st.LastFailure)}
	case !m.attempted && refusedBefore(obj, prevReady):
		// No attempt since the refusal at this generation: it still stands.
		return cause{reason: v1alpha1.ReasonSourceInvalid, stalled: true, message: prevReady.Message}
	case unavailable:
		return cause{reason: v1alpha1.ReasonSourceUnavailable, message: fmt.Sprintf(
			"The source of %s failed %d times in a row (last: %s): check spec.source and the server it names; measurement goes on and recovers by itself",
			obj.Name, st.ConsecutiveFailures, st.LastFailure)}
	}
	return cause{}
}

// refusedBefore reports whether the newest attempt at this generation was
// refused as an invalid spec.
func refusedBefore(obj *v1alpha1.LeadingIndicator, prevReady *metav1.Condition) bool {
	return obj.Spec.Source != nil && obj.Status.ConsecutiveFailures > 0 && prevReady != nil &&
		prevReady.Reason == v1alpha1.ReasonSourceInvalid && prevReady.ObservedGeneration == obj.Generation
}

// nextMeasurement is when the source is next asked: never while its spec
// cannot work, after secretRecheck while its Secret cannot be used, else
// when its interval says.
func nextMeasurement(c cause, m measurement, now time.Time) time.Time {
	switch {
	case c.stalled:
		return time.Time{}
	case c.reason == v1alpha1.ReasonSecretNotUsable:
		return now.Add(secretRecheck)
	}
	return m.next
}

// readyCondition is the indicator's Ready condition and the Stalled reason
// it implies: what is wrong with the source first, then its initiative and
// behavior, else what was measured.
func readyCondition(obj *v1alpha1.LeadingIndicator, initiative *v1alpha1.Initiative, trend v1alpha1.Trend, summary string, c cause) (metav1.Condition, string) {
	switch {
	case c.reason != "":
		stalled := ""
		if c.stalled {
			stalled = c.reason
		}
		return conditions.Ready(metav1.ConditionFalse, c.reason, c.message), stalled
	case initiative == nil:
		return refs.InitiativeNotFound(obj.Namespace, obj.Spec.InitiativeRef.Name, ""), ""
	case obj.Spec.Behavior != "" && !hasBehavior(initiative, obj.Spec.Behavior):
		return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonBehaviorNotFound, fmt.Sprintf(
			"Behavior %s named in spec.behavior is not a behavior of Initiative %s: add it to the initiative's spec.behaviors or fix spec.behavior",
			obj.Spec.Behavior, initiative.Name)), ""
	}
	msg := summary
	if trend != v1alpha1.TrendUnknown {
		msg += fmt.Sprintf(" (trend %s)", trend)
	}
	return conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonMeasured, msg), ""
}
