// Package leadingindicator reconciles LeadingIndicators: it records their
// measurements in a bounded history and judges health and trend against the
// target.
package leadingindicator

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
	"github.com/momentum-dev/momentum/internal/measure"
	"github.com/momentum-dev/momentum/internal/record"
	"github.com/momentum-dev/momentum/internal/sources"
	"github.com/momentum-dev/momentum/internal/tenancy"
	"github.com/momentum-dev/momentum/internal/watchdog"
)

// Reconciler reconciles LeadingIndicators.
type Reconciler struct {
	Client   client.Client
	Clock    clock.PassiveClock
	Recorder events.EventRecorder
	// Secrets reads the Secrets sources name, straight from the API server.
	Secrets client.Reader
	// Measurer asks live sources through the outbound policy.
	Measurer sources.Measurer
	// Watchdog, when set, sees every reconcile (the liveness probe).
	Watchdog *watchdog.Watchdog
	// Own, when set, holds back a reconcile that reads a version its own
	// status write already replaced (the cache has not caught up yet).
	Own *conditions.OwnWrites
	// Exceptions narrows the Measurer's outbound exceptions to selected
	// namespaces.
	Exceptions tenancy.Exceptions
	// Runner, when set, runs http and prometheus measurements off the
	// reconcile workers with per-namespace bounds; nil measures inline.
	Runner *measure.Runner
}

// secretRecheck is how soon an indicator whose Secret is not usable for its
// source looks again (Secrets are not watched).
const secretRecheck = time.Minute

// +kubebuilder:rbac:groups=culture.momentum.dev,resources=leadingindicators,verbs=get;list;watch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=leadingindicators/status,verbs=get;patch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=initiatives,verbs=get;list;watch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=recognitioncampaigns,verbs=get;list;watch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=commitments;cultureassessments,verbs=get;list;watch
// +kubebuilder:rbac:groups="",resources=secrets,verbs=get
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile fetches the indicator and its initiative, judges the indicator,
// writes status once if it changed, and asks to be called again when the
// newest measurement turns stale. A due measurement goes to the Runner; its
// result reconciles the indicator again, and only then is status written.
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	obj := &v1alpha1.LeadingIndicator{}
	if err := r.Client.Get(ctx, req.NamespacedName, obj); err != nil {
		if apierrors.IsNotFound(err) && r.Runner != nil {
			r.Runner.Clear(req.NamespacedName)
		}
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	if r.Own.Stale(obj) {
		return reconcile.Result{RequeueAfter: conditions.StaleRetry}, nil
	}
	before := obj.DeepCopy()
	now := r.Clock.Now()
	if v1alpha1.DecodeError(obj) != "" {
		return conditions.ReportUndecodable(ctx, r.Client, r.Recorder, "LeadingIndicator", before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration, now)
	}

	d, inFlight, err := r.evaluate(ctx, obj, now)
	if inFlight {
		return reconcile.Result{RequeueAfter: untilHeld(d.heldUntil, now)}, nil
	}
	wrote, conflict, perr := conditions.Write(ctx, r.Client, before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration,
		conditions.Result{Ready: d.ready, Stalled: d.stalled, Err: err}, now)
	if conflict {
		return reconcile.Result{RequeueAfter: conditions.ConflictRetry}, nil
	}
	if perr != nil {
		return reconcile.Result{}, perr
	}
	if d.recorded && r.Runner != nil {
		r.Runner.Clear(req.NamespacedName)
	}
	if wrote {
		r.Own.Wrote(before)
		record.Emit(r.Recorder, obj, d.events)
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	var requeue time.Duration
	for _, at := range []time.Time{d.staleAt, d.nextMeasurement} {
		if at.IsZero() {
			continue
		}
		if left := max(at.Sub(now), time.Millisecond); requeue == 0 || left < requeue {
			requeue = left
		}
	}
	return reconcile.Result{RequeueAfter: requeue}, nil
}

// evaluate decides the indicator's status. inFlight is true when a
// measurement is running, or when a new indicator waits for its initiative
// to reach the cache (conditions.FirstWriteHold, until d.heldUntil): nothing
// is recorded until then.
func (r *Reconciler) evaluate(ctx context.Context, obj *v1alpha1.LeadingIndicator, now time.Time) (d decision, inFlight bool, err error) {
	initiative, err := r.fetchInitiative(ctx, obj)
	if err != nil {
		return decision{}, false, err
	}
	if until, hold := conditions.FirstWriteHold(obj, obj.Status.Conditions, now, conditions.MissingGrace); hold && initiative == nil {
		return decision{heldUntil: until}, true, nil // the initiative's create event ends the wait
	}
	var m measurement
	b := blocked{invalid: validateSource(obj.Spec.Source)}
	if obj.Spec.Source != nil && b.invalid == nil {
		if b.refusal, err = r.secretRefusal(ctx, obj); err != nil {
			return decision{}, false, err
		}
		if b.refusal == "" {
			if m, inFlight = r.measureIfDue(ctx, obj, now); inFlight {
				return decision{}, true, nil
			}
		}
	}
	d = decide(obj, initiative, m, b, now)
	obj.Status = *d.status.DeepCopy()
	return d, false, nil
}

// validateSource catches what the API server cannot: a PromQL syntax error
// or a jsonPath that does not parse.
func validateSource(src *v1alpha1.IndicatorSource) error {
	switch {
	case src == nil:
		return nil
	case src.HTTP != nil:
		return sources.ValidateJSONPath(src.HTTP.JSONPath)
	case src.Prometheus != nil:
		return sources.ValidateQuery(src.Prometheus.Query)
	}
	return nil
}

// fetchInitiative reads the referenced initiative from the cache; nil when it
// does not exist.
func (r *Reconciler) fetchInitiative(ctx context.Context, obj *v1alpha1.LeadingIndicator) (*v1alpha1.Initiative, error) {
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

// SetupWithManager watches LeadingIndicators and the Initiatives they name,
// so a missing initiative or behavior heals as soon as it appears, and the
// Runner's finished measurements.
func (r *Reconciler) SetupWithManager(mgr manager.Manager, opts controller.Options) error {
	b := builder.ControllerManagedBy(mgr).
		For(&v1alpha1.LeadingIndicator{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Watches(&v1alpha1.Initiative{}, handler.EnqueueRequestsFromMapFunc(r.indicatorsOf), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&v1alpha1.RecognitionCampaign{}, handler.EnqueueRequestsFromMapFunc(r.indicatorsMeasuring)).
		Watches(&v1alpha1.Commitment{}, handler.EnqueueRequestsFromMapFunc(r.indicatorsOfCommitment)).
		Watches(&v1alpha1.CultureAssessment{}, handler.EnqueueRequestsFromMapFunc(r.indicatorsOfAssessment))
	if r.Runner != nil {
		b = b.WatchesRawSource(r.Runner.Source())
	}
	return b.WithOptions(opts).Named("leadingindicator").Complete(r.Watchdog.Wrap("leadingindicator", r))
}

func (r *Reconciler) indicatorsOf(ctx context.Context, o client.Object) []reconcile.Request {
	list := &v1alpha1.LeadingIndicatorList{}
	if err := r.Client.List(ctx, list, client.InNamespace(o.GetNamespace()), client.MatchingFields{index.IndicatorByInitiative: o.GetName()}); err != nil {
		logf.FromContext(ctx).Error(err, "Failed to list indicators of initiative", "initiative", o.GetName())
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(list.Items))
	for _, ind := range list.Items {
		reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: ind.Namespace, Name: ind.Name}})
	}
	return reqs
}

// indicatorsMeasuring maps a RecognitionCampaign to the indicators derived from it.
func (r *Reconciler) indicatorsMeasuring(ctx context.Context, o client.Object) []reconcile.Request {
	list := &v1alpha1.LeadingIndicatorList{}
	if err := r.Client.List(ctx, list, client.InNamespace(o.GetNamespace()), client.MatchingFields{index.IndicatorByCampaign: o.GetName()}); err != nil {
		logf.FromContext(ctx).Error(err, "Failed to list indicators measuring campaign", "campaign", o.GetName())
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(list.Items))
	for _, ind := range list.Items {
		reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: ind.Namespace, Name: ind.Name}})
	}
	return reqs
}

// untilHeld is the requeue delay of a held first write; zero when none.
func untilHeld(until, now time.Time) time.Duration {
	if until.IsZero() {
		return 0
	}
	return max(until.Sub(now), time.Millisecond)
}
