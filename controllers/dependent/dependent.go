// Package dependent is the reconcile shared by the kinds whose status is
// computed from their own spec and the Initiative they name, and nothing
// else (Commitment, CultureAssessment): fetch the object and its
// initiative, decide, and finish (conditions.Finish). Each kind's package
// keeps its RBAC markers, its decision and its table tests.
package dependent

import (
	"context"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
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

// Kind is what the shared reconcile needs to know of one kind.
type Kind[T client.Object, L client.ObjectList] struct {
	// Name is the kind, e.g. "Commitment"; its lower case names the
	// controller.
	Name string
	// New and NewList make an empty object and list of the kind.
	New     func() T
	NewList func() L
	// ByInitiative is the index of the kind by spec.initiativeRef.name.
	ByInitiative string
	// Initiative is the name of the initiative obj names.
	Initiative func(obj T) string
	// Status points at obj's conditions and observedGeneration.
	Status func(obj T) (*[]metav1.Condition, *int64)
	// Decide computes obj's status (into obj) from obj and its initiative
	// (nil when missing): it reads no API and no clock.
	Decide func(obj T, initiative *v1alpha1.Initiative, now time.Time) conditions.Outcome
}

// Describer is a kind's package's (empty) type that describes the kind:
// each kind's Reconciler is Reconciler instantiated with it.
type Describer[T client.Object, L client.ObjectList] interface {
	Describe() Kind[T, L]
}

// Reconciler reconciles the kind D describes.
type Reconciler[T client.Object, L client.ObjectList, D Describer[T, L]] struct {
	Client   client.Client
	Clock    clock.PassiveClock
	Recorder events.EventRecorder
	// Watchdog, when set, sees every reconcile (the liveness probe).
	Watchdog *watchdog.Watchdog
}

// Reconcile fetches the object and its initiative, decides its status,
// writes it once if it changed, and asks to be called again when the
// decision says something falls due.
func (r *Reconciler[T, L, D]) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	var describer D
	kind := describer.Describe()
	obj := kind.New()
	if err := r.Client.Get(ctx, req.NamespacedName, obj); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	before := obj.DeepCopyObject().(client.Object)
	now := r.Clock.Now()
	conds, observed := kind.Status(obj)
	if v1alpha1.DecodeError(obj) != "" {
		return conditions.ReportUndecodable(ctx, r.Client, r.Recorder, kind.Name, before, obj, conds, observed, now)
	}
	var out conditions.Outcome
	initiative, err := refs.Initiative(ctx, r.Client, obj.GetNamespace(), kind.Initiative(obj))
	if err == nil {
		out = kind.Decide(obj, initiative, now)
	}
	out.Err = err
	return conditions.Finish(ctx, r.Client, r.Recorder, before, obj, conds, observed, out, now)
}

// SetupWithManager watches the kind and the Initiatives its objects name,
// so a missing initiative heals as soon as it appears.
func (r *Reconciler[T, L, D]) SetupWithManager(mgr manager.Manager, opts controller.Options) error {
	var describer D
	kind := describer.Describe()
	name := strings.ToLower(kind.Name)
	return builder.ControllerManagedBy(mgr).
		For(kind.New(), builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Watches(&v1alpha1.Initiative{}, handler.EnqueueRequestsFromMapFunc(index.Requests(r.Client, kind.NewList, kind.ByInitiative)),
			builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WithOptions(opts).
		Named(name).
		Complete(r.Watchdog.Wrap(name, r))
}
