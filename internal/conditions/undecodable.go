package conditions

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/record"
)

// UndecodableMessage says what is wrong with an object the manager could not
// decode, and what to do.
func UndecodableMessage(kind string, obj client.Object, decodeErr string) string {
	return fmt.Sprintf("%s %s could not be read by the manager (%s); correct the field and apply it again. Momentum does nothing for it until then.",
		kind, obj.GetName(), decodeErr)
}

// ReportUndecodable finishes the reconcile of an object the manager could
// not decode (v1alpha1.DecodeError is not empty), without acting on it:
// no child is touched. It writes Ready=False and Stalled (only conditions
// and observedGeneration: the rest of the status in the API server, history
// included, stays as it is) with one Warning Event. The API server refuses
// any write to an object whose stored spec fails its validation, so then
// the Warning Event (and the manager's log) is the report; nothing is
// retried until the object changes.
func ReportUndecodable(ctx context.Context, c client.Client, rec events.EventRecorder, kind string, before, obj client.Object,
	conds *[]metav1.Condition, observed *int64, now time.Time) (reconcile.Result, error) {
	msg := UndecodableMessage(kind, obj, v1alpha1.DecodeError(obj))
	warning := []record.Event{{Type: corev1.EventTypeWarning, Reason: v1alpha1.ReasonUndecodable, Note: msg}}
	r := Result{Ready: Ready(metav1.ConditionFalse, v1alpha1.ReasonUndecodable, msg), Stalled: v1alpha1.ReasonUndecodable}
	wrote, conflict, err := Write(ctx, c, before, obj, conds, observed, r, now)
	switch {
	case conflict:
		return reconcile.Result{RequeueAfter: ConflictRetry}, nil
	case apierrors.IsInvalid(err):
		logf.FromContext(ctx).Error(err, "Skipped an object the manager cannot decode", "kind", kind)
		record.Emit(rec, obj, warning)
		return reconcile.Result{}, nil
	case err != nil:
		return reconcile.Result{}, err
	case wrote:
		record.Emit(rec, obj, warning)
	}
	return reconcile.Result{}, nil
}
