// Package commitment reconciles Commitments: it computes each one's Success
// Index from its quarterly reviews and says when the next review is due.
package commitment

import (
	"context"
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/index"
	"github.com/momentum-dev/momentum/internal/record"
	"github.com/momentum-dev/momentum/internal/watchdog"
)

// Reconciler reconciles Commitments.
type Reconciler struct {
	Client   client.Client
	Clock    clock.PassiveClock
	Recorder events.EventRecorder
	// Watchdog, when set, sees every reconcile (the liveness probe).
	Watchdog *watchdog.Watchdog
}

// +kubebuilder:rbac:groups=culture.momentum.dev,resources=commitments,verbs=get;list;watch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=commitments/status,verbs=get;patch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=initiatives,verbs=get;list;watch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile fetches the commitment and its initiative, computes the Success
// Index, writes status once if it changed, and asks to be called again when
// a review falls due or an action turns overdue.
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	obj := &v1alpha1.Commitment{}
	if err := r.Client.Get(ctx, req.NamespacedName, obj); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	before := obj.DeepCopy()
	now := r.Clock.Now()
	if v1alpha1.DecodeError(obj) != "" {
		return conditions.ReportUndecodable(ctx, r.Client, r.Recorder, "Commitment", before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration, now)
	}

	var d decision
	initiative, err := r.fetchInitiative(ctx, obj)
	if err == nil {
		d = decide(obj, initiative, now)
	}
	wrote, conflict, perr := conditions.Write(ctx, r.Client, before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration,
		conditions.Result{Ready: d.ready, Err: err}, now)
	if conflict {
		return reconcile.Result{RequeueAfter: conditions.ConflictRetry}, nil
	}
	if perr != nil {
		return reconcile.Result{}, perr
	}
	if wrote {
		record.Emit(r.Recorder, obj, d.events)
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	if d.recheckAt.IsZero() {
		return reconcile.Result{}, nil
	}
	return reconcile.Result{RequeueAfter: max(d.recheckAt.Sub(now), time.Millisecond)}, nil
}

// fetchInitiative reads the referenced initiative from the cache; nil when
// it does not exist.
func (r *Reconciler) fetchInitiative(ctx context.Context, obj *v1alpha1.Commitment) (*v1alpha1.Initiative, error) {
	it := &v1alpha1.Initiative{}
	err := r.Client.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: obj.Spec.InitiativeRef.Name}, it)
	switch {
	case apierrors.IsNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("reading Initiative %s: %w", obj.Spec.InitiativeRef.Name, err)
	}
	return it, nil
}

// SetupWithManager watches Commitments and the Initiatives they name, so a
// missing initiative or behavior heals as soon as it appears.
func (r *Reconciler) SetupWithManager(mgr manager.Manager, opts controller.Options) error {
	return builder.ControllerManagedBy(mgr).
		For(&v1alpha1.Commitment{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Watches(&v1alpha1.Initiative{}, handler.EnqueueRequestsFromMapFunc(r.commitmentsOf), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WithOptions(opts).
		Named("commitment").
		Complete(r.Watchdog.Wrap("commitment", r))
}

// commitmentsOf maps an initiative to its commitments.
func (r *Reconciler) commitmentsOf(ctx context.Context, o client.Object) []reconcile.Request {
	list := &v1alpha1.CommitmentList{}
	if err := r.Client.List(ctx, list, client.InNamespace(o.GetNamespace()), client.MatchingFields{index.CommitmentByInitiative: o.GetName()}); err != nil {
		logf.FromContext(ctx).Error(err, "Failed to list commitments of initiative", "initiative", o.GetName())
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(list.Items))
	for _, c := range list.Items {
		reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: c.Namespace, Name: c.Name}})
	}
	return reqs
}
