// Package conditions keeps the status contract every Momentum kind shares:
// Ready always present after the first reconcile, Reconciling and Stalled
// present only while True, observedGeneration only after a successful
// reconcile, and one status write per reconcile, skipped when nothing changed.
package conditions

import (
	"context"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/bound"
)

// Set records a condition. Its lastTransitionTime moves to now only when its
// status changes; the clock is the caller's, so tests control it. A message
// longer than the API server allows is cut (and marked), never rejected.
func Set(conds *[]metav1.Condition, condType string, status metav1.ConditionStatus, reason, message string, generation int64, now time.Time) {
	meta.SetStatusCondition(conds, metav1.Condition{
		Type:               condType,
		Status:             status,
		Reason:             reason,
		Message:            bound.Text(message, bound.ConditionMessage),
		ObservedGeneration: generation,
		LastTransitionTime: metav1.NewTime(now.UTC().Truncate(time.Second)),
	})
}

// Result is how a reconcile ended, for Finish to turn into conditions.
type Result struct {
	// Ready is the Ready condition the reconcile decided on (status, reason,
	// message); ignored when Err is set.
	Ready metav1.Condition
	// Stalled, when set, is the reason the object cannot progress without a
	// spec change; Ready.Message says what to change.
	Stalled string
	// Err is a transient error: the reconcile is retried and Reconciling
	// says so.
	Err error
}

// Summarize applies the status contract to conds and returns the
// observedGeneration to record.
func Summarize(conds *[]metav1.Condition, observed, generation int64, r Result, now time.Time) int64 {
	if r.Err != nil {
		Set(conds, v1alpha1.ConditionReconciling, metav1.ConditionTrue, v1alpha1.ReasonRetrying, r.Err.Error(), generation, now)
		meta.RemoveStatusCondition(conds, v1alpha1.ConditionStalled)
		if meta.FindStatusCondition(*conds, v1alpha1.ConditionReady) == nil {
			Set(conds, v1alpha1.ConditionReady, metav1.ConditionUnknown, v1alpha1.ReasonRetrying, r.Err.Error(), generation, now)
		}
		return observed
	}
	meta.RemoveStatusCondition(conds, v1alpha1.ConditionReconciling)
	Set(conds, v1alpha1.ConditionReady, r.Ready.Status, r.Ready.Reason, r.Ready.Message, generation, now)
	if r.Stalled != "" {
		Set(conds, v1alpha1.ConditionStalled, metav1.ConditionTrue, r.Stalled, r.Ready.Message, generation, now)
	} else {
		meta.RemoveStatusCondition(conds, v1alpha1.ConditionStalled)
	}
	return generation
}

// Ready builds the Ready condition a reconcile decided on.
func Ready(status metav1.ConditionStatus, reason, message string) metav1.Condition {
	return metav1.Condition{Type: v1alpha1.ConditionReady, Status: status, Reason: reason, Message: message}
}

// ConflictRetry is how soon a reconcile that lost a write race (it decided
// on a stale read) runs again. The write it lost to may be its own earlier
// status, which watch predicates do not replay, so it asks explicitly.
const ConflictRetry = time.Second

// Write applies the status contract to the object's conditions and
// observedGeneration, then writes status once if it changed. conflict is
// true when the write lost a race: retry after ConflictRetry, with no error.
func Write(ctx context.Context, c client.Client, before, obj client.Object, conds *[]metav1.Condition, observed *int64, r Result, now time.Time) (wrote, conflict bool, err error) {
	*observed = Summarize(conds, *observed, obj.GetGeneration(), r, now)
	wrote, err = PatchStatus(ctx, c, before, obj)
	if apierrors.IsConflict(err) {
		return false, true, nil
	}
	return wrote, false, err
}

// PatchStatus writes obj's status if it differs from before, in a single
// merge patch carrying before's resourceVersion: a decision made on a stale
// read fails with a conflict and is retried instead of overwriting newer
// status (history must never be rewritten). It reports whether it wrote.
func PatchStatus(ctx context.Context, c client.Client, before, obj client.Object) (bool, error) {
	diff, err := client.MergeFrom(before).Data(obj)
	if err != nil {
		return false, err
	}
	if string(diff) == "{}" {
		return false, nil
	}
	return true, c.Status().Patch(ctx, obj, client.MergeFromWithOptions(before, client.MergeFromWithOptimisticLock{}))
}

// Readiness is what a dependent may conclude from another object's status.
type Readiness int

const (
	// Pending means not checked yet at its current generation (no Ready
	// condition, or observedGeneration behind generation): wait quietly.
	Pending Readiness = iota
	// NotReady means checked at its current generation and not Ready.
	NotReady
	// IsReady means Ready=True, recorded for its current generation.
	IsReady
)

// ReadinessOf reads an object's Ready condition the way kstatus does: a
// Ready=True recorded for an older generation proves nothing about the
// current spec (it may name another Secret), so it is Pending.
func ReadinessOf(generation, observedGeneration int64, conds []metav1.Condition) Readiness {
	ready := meta.FindStatusCondition(conds, v1alpha1.ConditionReady)
	switch {
	case ready == nil || observedGeneration != generation:
		return Pending
	case ready.Status == metav1.ConditionTrue:
		return IsReady
	}
	return NotReady
}

// ChannelReadiness is ReadinessOf a Channel: the one rule every consumer of
// a Channel applies before scheduling a delivery to it.
func ChannelReadiness(ch *v1alpha1.Channel) Readiness {
	return ReadinessOf(ch.Generation, ch.Status.ObservedGeneration, ch.Status.Conditions)
}
