package leadingindicator

import (
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/health"
	"github.com/momentum-dev/momentum/internal/outbound"
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
// first: a spec that cannot work (a query that does not parse, a URL no
// flag could allow), a Secret that cannot be used, a refusal the manager's
// flags, namespace labels or DNS decide, failureLimit failures in a row.
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
	case m.attempted:
		if c := attemptCause(obj, st.LastFailure, m); c.reason != "" {
			return c
		}
	case standsBefore(obj, prevReady):
		// No attempt since the failure at this generation: it still stands.
		return cause{reason: prevReady.Reason, message: prevReady.Message,
			stalled: meta.IsStatusConditionTrue(obj.Status.Conditions, v1alpha1.ConditionStalled)}
	}
	if unavailable {
		return cause{reason: v1alpha1.ReasonSourceUnavailable, message: fmt.Sprintf(
			"The source of %s failed %d times in a row (last: %s): check spec.source and the server it names; measurement goes on and recovers by itself",
			obj.Name, st.ConsecutiveFailures, st.LastFailure)}
	}
	return cause{}
}

// attemptCause is what the newest attempt's error says at once, by who can
// fix it: spec.source alone (stalled), the Secret's owner (looked at again
// after secretRecheck), or the manager's flags, the namespace's labels or
// DNS (measured on at the interval). A transient failure says nothing yet.
func attemptCause(obj *v1alpha1.LeadingIndicator, failure string, m measurement) cause {
	switch sources.ClassOf(m.err) {
	case sources.ClassInvalidSpec:
		return cause{reason: v1alpha1.ReasonSourceInvalid, stalled: true, message: fmt.Sprintf(
			"spec.source of %s cannot be measured: %s; fix spec.source (retrying cannot help)", obj.Name, failure)}
	case sources.ClassSecretNotUsable:
		return cause{reason: v1alpha1.ReasonSecretNotUsable, message: fmt.Sprintf(
			"The Secret that spec.source of %s sends cannot be used: %s; fix the Secret (it is tried again within %s)", obj.Name, failure, secretRecheck)}
	case sources.ClassRefused:
		return cause{reason: v1alpha1.ReasonSourceInvalid, message: fmt.Sprintf(
			"spec.source of %s was refused by the outbound policy: %s; %s; measurement goes on every %s and recovers by itself",
			obj.Name, failure, refusalRemedy(obj.Namespace, m), sources.Interval(obj.Spec.Source))}
	}
	return cause{}
}

// refusalRemedy says what lifts a refusal the spec alone does not decide.
func refusalRemedy(namespace string, m measurement) string {
	if m.withheld {
		return fmt.Sprintf("namespace %s is not selected by the manager's --allow-namespace-selector, so its --allow-http-host and --allow-cidr exceptions do not apply here: label the namespace, or change spec.source", namespace)
	}
	if outbound.ClassOf(m.err) == outbound.ClassScheme {
		return "plain http needs the host in the manager's --allow-http-host (applied at its restart), or use https in spec.source"
	}
	return "the address, or what DNS answers for its host, is in a blocked range: open it with the manager's --allow-cidr (applied at its restart), fix the DNS record, or change spec.source"
}

// standsBefore reports whether Ready reports a failed attempt at this
// generation (refused, or a Secret not usable) that no attempt has
// followed: its verdict still stands.
func standsBefore(obj *v1alpha1.LeadingIndicator, prevReady *metav1.Condition) bool {
	return failedBefore(obj, prevReady) && prevReady.ObservedGeneration == obj.Generation
}

// failedBefore reports whether Ready reports a failed attempt that says
// more than "unavailable": a refusal or a Secret not usable.
func failedBefore(obj *v1alpha1.LeadingIndicator, prevReady *metav1.Condition) bool {
	return obj.Spec.Source != nil && obj.Status.ConsecutiveFailures > 0 && prevReady != nil &&
		(prevReady.Reason == v1alpha1.ReasonSourceInvalid || prevReady.Reason == v1alpha1.ReasonSecretNotUsable)
}

// measurementDue is when the source is next asked, given its last attempt:
// at once when the spec changed since a failure Ready reports (so Ready
// always speaks of the current generation), secretRecheck after a Secret
// refused at the last attempt, else when the interval says.
func measurementDue(obj *v1alpha1.LeadingIndicator, prevReady *metav1.Condition, last time.Time, now time.Time) time.Time {
	key := obj.Namespace + "/" + obj.Name
	next := health.NextMeasurement(key, last, sources.Interval(obj.Spec.Source), now)
	switch {
	case !failedBefore(obj, prevReady):
	case prevReady.ObservedGeneration != obj.Generation:
		return now
	case prevReady.Reason == v1alpha1.ReasonSecretNotUsable && last.Add(secretRecheck).Before(next):
		return last.Add(secretRecheck)
	}
	return next
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
