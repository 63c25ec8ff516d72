// Package commitment reconciles Commitments: it computes each one's Success
// Index from its quarterly reviews and says when the next review is due.
package commitment

import (
	"context"

	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/index"
	"github.com/momentum-dev/momentum/internal/refs"
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
	initiative, err := refs.Initiative(ctx, r.Client, obj.Namespace, obj.Spec.InitiativeRef.Name)
	if err == nil {
		d = decide(obj, initiative, now)
	}
	return conditions.Finish(ctx, r.Client, r.Recorder, before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration,
		conditions.Outcome{Result: conditions.Result{Ready: d.ready, Err: err}, Events: d.events, RecheckAt: d.recheckAt}, now)
}

// SetupWithManager watches Commitments and the Initiatives they name, so a
// missing initiative or behavior heals as soon as it appears.
func (r *Reconciler) SetupWithManager(mgr manager.Manager, opts controller.Options) error {
	return builder.ControllerManagedBy(mgr).
		For(&v1alpha1.Commitment{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Watches(&v1alpha1.Initiative{}, handler.EnqueueRequestsFromMapFunc(index.Requests(r.Client, newList, index.CommitmentByInitiative)), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WithOptions(opts).
		Named("commitment").
		Complete(r.Watchdog.Wrap("commitment", r))
}

func newList() *v1alpha1.CommitmentList { return &v1alpha1.CommitmentList{} }
