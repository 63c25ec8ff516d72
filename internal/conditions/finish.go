package conditions

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/momentum-dev/momentum/internal/due"
	"github.com/momentum-dev/momentum/internal/record"
)

// Outcome is what one reconcile decided, for Finish to record.
type Outcome struct {
	// Result is the Ready condition (or the transient error) decided on.
	Result
	// Events are emitted only when the status write that records them
	// lands, so a reconcile that changes nothing repeats nothing.
	Events []record.Event
	// RecheckAt is when something time-based falls due; zero: nothing.
	RecheckAt time.Time
	// Own, when set, remembers the write so the stale cached version it
	// replaced is not reconciled again (see OwnWrites).
	Own *OwnWrites
	// Stored, when set, runs once status is stored: written, or already as
	// decided (wrote is false then).
	Stored func(wrote bool)
}

// Finish is the one tail of every reconcile: it writes status once if it
// changed (Write), retries after ConflictRetry when the write lost a race,
// emits the Events once the write landed, returns a transient error for
// controller-runtime to back off, and otherwise asks to be called again at
// RecheckAt.
func Finish(ctx context.Context, c client.Client, rec events.EventRecorder, before, obj client.Object,
	conds *[]metav1.Condition, observed *int64, o Outcome, now time.Time) (reconcile.Result, error) {
	wrote, conflict, err := Write(ctx, c, before, obj, conds, observed, o.Result, now)
	switch {
	case conflict:
		return reconcile.Result{RequeueAfter: ConflictRetry}, nil
	case err != nil:
		return reconcile.Result{}, err
	}
	if o.Stored != nil {
		o.Stored(wrote)
	}
	if wrote {
		o.Own.Wrote(before)
		record.Emit(rec, obj, o.Events)
	}
	if o.Err != nil {
		return reconcile.Result{}, o.Err
	}
	return reconcile.Result{RequeueAfter: due.After(o.RecheckAt, now)}, nil
}

// Warning is the Warning Event for Ready turning False with a new
// reason; nothing while it stays so (every retry or re-measurement would
// repeat it) and nothing for a message change alone.
func Warning(prev *metav1.Condition, next metav1.Condition) []record.Event {
	if next.Status != metav1.ConditionFalse || (prev != nil && prev.Status == next.Status && prev.Reason == next.Reason) {
		return nil
	}
	return []record.Event{{Type: corev1.EventTypeWarning, Reason: next.Reason, Note: next.Message}}
}
