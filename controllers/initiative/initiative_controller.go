// Package initiative reconciles Initiatives: it moves each through its stages
// when the exit criteria of the current stage are met, and reports where the
// program stands and what holds it back.
package initiative

import (
	"context"
	"time"

	batchv1 "k8s.io/api/batch/v1"
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
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/delivery"
	"github.com/momentum-dev/momentum/internal/due"
	"github.com/momentum-dev/momentum/internal/index"
	"github.com/momentum-dev/momentum/internal/tenancy"
	"github.com/momentum-dev/momentum/internal/watchdog"
)

// Reconciler reconciles Initiatives.
type Reconciler struct {
	Client   client.Client
	Clock    clock.PassiveClock
	Recorder events.EventRecorder
	// Jobs configures the pods of reminder CronJobs.
	Jobs cronjobs.Options
	// Watchdog, when set, sees every reconcile (the liveness probe).
	Watchdog *watchdog.Watchdog
	// Own, when set, holds back a reconcile that reads a version its own
	// status write already replaced (the cache has not caught up yet).
	Own *conditions.OwnWrites
	// Exceptions narrows the Jobs' outbound exceptions to selected namespaces.
	Exceptions tenancy.Exceptions
	// Reader reads from the API server, past the cache (which holds only
	// objects labelled as Momentum's), whether a child's name is taken.
	// Without it, Client is used.
	Reader client.Reader
	// Deliveries bounds the attempts of each celebration.
	Deliveries delivery.Policy
}

// +kubebuilder:rbac:groups=culture.momentum.dev,resources=initiatives,verbs=get;list;watch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=initiatives/status,verbs=get;patch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=initiatives/finalizers,verbs=update
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=leadingindicators,verbs=get;list;watch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=channels,verbs=get;list;watch
// +kubebuilder:rbac:groups=batch,resources=cronjobs,verbs=get;list;watch;create;patch;delete
// +kubebuilder:rbac:groups=batch,resources=jobs,verbs=get;list;watch;create
// +kubebuilder:rbac:groups="",resources=configmaps,verbs=get;list;watch;create;patch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile fetches the initiative and the indicators it depends on, decides
// its status, writes it once if it changed, and asks to be called again when
// the next time-based gate is due.
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	log := logf.FromContext(ctx)
	obj := &v1alpha1.Initiative{}
	if err := r.Client.Get(ctx, req.NamespacedName, obj); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	if r.Own.Stale(obj) {
		return reconcile.Result{RequeueAfter: conditions.StaleRetry}, nil
	}
	before := obj.DeepCopy()
	now := r.Clock.Now()
	if v1alpha1.DecodeError(obj) != "" {
		return conditions.ReportUndecodable(ctx, r.Client, r.Recorder, "Initiative", before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration, now)
	}

	var d decision
	gateInds, ownInds, err := r.fetchIndicators(ctx, obj)
	if until, hold := holdFirstWrite(obj, gateInds, ownInds, now); hold && err == nil {
		return reconcile.Result{RequeueAfter: until.Sub(now)}, nil // the indicators' events wake it sooner
	}
	if err == nil {
		d, err = r.decideAndApply(ctx, obj, gateInds, ownInds, now)
	}
	evs := d.events
	if err == nil {
		evs = append(evs, d.celebrated...)
	}
	return conditions.Finish(ctx, r.Client, r.Recorder, before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration, conditions.Outcome{
		Result: conditions.Result{Ready: d.ready, Stalled: d.stalled, Err: err}, Events: evs, RecheckAt: d.recheckAt, Own: r.Own,
		Stored: func(wrote bool) {
			if wrote && d.entered != nil {
				log.Info("Entered stage", "stage", d.entered.To, "from", d.entered.From)
			}
		},
	}, now)
}

// decideAndApply reads the initiative's children, decides its status and
// applies the children the decision asks for: reminder CronJobs, celebration
// Jobs, and quick wins held for quiet hours that may now go out. What status
// says about the children goes into it only once the apply succeeded: a win
// only with its Job, a removed reminder only after its CronJob was deleted.
func (r *Reconciler) decideAndApply(ctx context.Context, obj *v1alpha1.Initiative, gateInds map[string]*v1alpha1.LeadingIndicator,
	ownInds []v1alpha1.LeadingIndicator, now time.Time) (decision, error) {
	ch, err := r.fetchInputs(ctx, obj)
	if err == nil {
		ch.success, err = r.fetchSuccess(ctx, obj)
	}
	if err != nil {
		return decision{}, err
	}
	d := decide(obj, gateInds, ownInds, ch, r.Exceptions.Jobs(ctx, obj.Namespace, r.Jobs), now)
	obj.Status = *d.status.DeepCopy()
	taken, err := r.applyChildren(ctx, obj, ch, d)
	if err != nil {
		return d, err
	}
	wait, err := r.releaseHeld(ctx, obj, ch.jobs, now)
	if err != nil {
		return d, err
	}
	d = applied(obj, d, taken, now)
	d.recorded.into(&obj.Status)
	d.recheckAt = due.Earliest(d.recheckAt, wait)
	return d, nil
}

// SetupWithManager watches Initiatives and, through the indexes, the
// LeadingIndicators they reference or own.
func (r *Reconciler) SetupWithManager(mgr manager.Manager, opts controller.Options) error {
	return builder.ControllerManagedBy(mgr).
		For(&v1alpha1.Initiative{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Owns(&batchv1.CronJob{}).
		Watches(&batchv1.Job{}, handler.EnqueueRequestsFromMapFunc(initiativeOfJob)).
		Watches(&v1alpha1.Channel{}, handler.EnqueueRequestsFromMapFunc(index.Requests(r.Client, newInitiativeList, index.InitiativeByChannel))).
		Watches(&v1alpha1.LeadingIndicator{}, handler.EnqueueRequestsFromMapFunc(r.initiativesOf)).
		Watches(&v1alpha1.Commitment{}, handler.EnqueueRequestsFromMapFunc(initiativeOfSuccess)).
		Watches(&v1alpha1.CultureAssessment{}, handler.EnqueueRequestsFromMapFunc(initiativeOfSuccess)).
		WithOptions(opts).
		Named("initiative").
		Complete(r.Watchdog.Wrap("initiative", r))
}

// initiativesOf maps an indicator to the initiative it belongs to and to
// every initiative whose gates name it.
func (r *Reconciler) initiativesOf(ctx context.Context, o client.Object) []reconcile.Request {
	ind := o.(*v1alpha1.LeadingIndicator)
	reqs := []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: ind.Namespace, Name: ind.Spec.InitiativeRef.Name}}}
	list := &v1alpha1.InitiativeList{}
	if err := r.Client.List(ctx, list, client.InNamespace(ind.Namespace), client.MatchingFields{index.InitiativeByGateIndicator: ind.Name}); err != nil {
		logf.FromContext(ctx).Error(err, "Failed to list initiatives gated on indicator", "indicator", ind.Name)
		return reqs
	}
	for _, it := range list.Items {
		if it.Name != ind.Spec.InitiativeRef.Name {
			reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: it.Namespace, Name: it.Name}})
		}
	}
	return reqs
}

// initiativeOfJob maps a delivery Job to its initiative through its labels.
func initiativeOfJob(_ context.Context, o client.Object) []reconcile.Request {
	name := o.GetLabels()[cronjobs.LabelInitiative]
	if name == "" || (o.GetLabels()[cronjobs.LabelReminder] == "" && o.GetLabels()[cronjobs.LabelCelebration] == "") {
		return nil
	}
	return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: o.GetNamespace(), Name: name}}}
}

func newInitiativeList() *v1alpha1.InitiativeList { return &v1alpha1.InitiativeList{} }
