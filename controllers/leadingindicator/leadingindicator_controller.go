// Package leadingindicator reconciles LeadingIndicators: it records their
// measurements in a bounded history and judges health and trend against the
// target.
package leadingindicator

import (
	"context"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
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
	"github.com/momentum-dev/momentum/internal/due"
	"github.com/momentum-dev/momentum/internal/index"
	"github.com/momentum-dev/momentum/internal/measure"
	"github.com/momentum-dev/momentum/internal/refs"
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
		return reconcile.Result{RequeueAfter: due.After(d.heldUntil, now)}, nil
	}
	return conditions.Finish(ctx, r.Client, r.Recorder, before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration, conditions.Outcome{
		Result: conditions.Result{Ready: d.ready, Stalled: d.stalled, Err: err}, Events: d.events, Own: r.Own,
		RecheckAt: due.Earliest(d.staleAt, d.nextMeasurement),
		Stored: func(bool) {
			if d.recorded && r.Runner != nil {
				r.Runner.Clear(req.NamespacedName) // the measurement is in status now
			}
		},
	}, now)
}

// evaluate decides the indicator's status. inFlight is true when a
// measurement is running, or when a new indicator waits for its initiative
// to reach the cache (conditions.FirstWriteHold, until d.heldUntil): nothing
// is recorded until then.
func (r *Reconciler) evaluate(ctx context.Context, obj *v1alpha1.LeadingIndicator, now time.Time) (d decision, inFlight bool, err error) {
	initiative, err := refs.Initiative(ctx, r.Client, obj.Namespace, obj.Spec.InitiativeRef.Name)
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
			if sources.ClassOf(m.err) == sources.ClassRefused {
				m.withheld = r.Exceptions.Withheld(ctx, obj.Namespace)
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

// SetupWithManager watches LeadingIndicators and the Initiatives they name,
// so a missing initiative or behavior heals as soon as it appears, and the
// Runner's finished measurements.
func (r *Reconciler) SetupWithManager(mgr manager.Manager, opts controller.Options) error {
	b := builder.ControllerManagedBy(mgr).
		For(&v1alpha1.LeadingIndicator{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Watches(&v1alpha1.Initiative{}, handler.EnqueueRequestsFromMapFunc(index.Requests(r.Client, newList, index.IndicatorByInitiative)), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&v1alpha1.RecognitionCampaign{}, handler.EnqueueRequestsFromMapFunc(index.Requests(r.Client, newList, index.IndicatorByCampaign))).
		Watches(&v1alpha1.Commitment{}, handler.EnqueueRequestsFromMapFunc(r.indicatorsOfCommitment)).
		Watches(&v1alpha1.CultureAssessment{}, handler.EnqueueRequestsFromMapFunc(index.Requests(r.Client, newList, index.IndicatorByAssessment)))
	if r.Runner != nil {
		b = b.WatchesRawSource(r.Runner.Source())
	}
	return b.WithOptions(opts).Named("leadingindicator").Complete(r.Watchdog.Wrap("leadingindicator", r))
}

func newList() *v1alpha1.LeadingIndicatorList { return &v1alpha1.LeadingIndicatorList{} }
