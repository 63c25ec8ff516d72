// Package cultureassessment reconciles CultureAssessments: it scores each
// discipline from the survey rounds kept in Git, hiding what the
// confidentiality floor protects.
package cultureassessment

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/api/meta"
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
	"github.com/momentum-dev/momentum/internal/assessment"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/index"
	"github.com/momentum-dev/momentum/internal/refs"
	"github.com/momentum-dev/momentum/internal/successindex"
	"github.com/momentum-dev/momentum/internal/watchdog"
)

// Reconciler reconciles CultureAssessments.
type Reconciler struct {
	Client   client.Client
	Clock    clock.PassiveClock
	Recorder events.EventRecorder
	// Watchdog, when set, sees every reconcile (the liveness probe).
	Watchdog *watchdog.Watchdog
}

// +kubebuilder:rbac:groups=culture.momentum.dev,resources=cultureassessments,verbs=get;list;watch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=cultureassessments/status,verbs=get;patch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=initiatives,verbs=get;list;watch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile fetches the assessment and its initiative, scores the
// disciplines and writes status once if it changed. Nothing depends on time.
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	obj := &v1alpha1.CultureAssessment{}
	if err := r.Client.Get(ctx, req.NamespacedName, obj); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	before := obj.DeepCopy()
	now := r.Clock.Now()
	if v1alpha1.DecodeError(obj) != "" {
		return conditions.ReportUndecodable(ctx, r.Client, r.Recorder, "CultureAssessment", before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration, now)
	}
	var out conditions.Outcome
	it, err := refs.Initiative(ctx, r.Client, obj.Namespace, obj.Spec.InitiativeRef.Name)
	if err == nil {
		out.Ready = decide(obj, it)
		out.Events = conditions.Warning(meta.FindStatusCondition(before.Status.Conditions, v1alpha1.ConditionReady), out.Ready)
	}
	out.Err = err
	return conditions.Finish(ctx, r.Client, r.Recorder, before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration, out, now)
}

// decide writes the scores into status and returns the Ready condition. A
// missing initiative is not Stalled: the initiative is watched, so it heals
// as soon as it appears. It reads no API and no clock.
func decide(obj *v1alpha1.CultureAssessment, it *v1alpha1.Initiative) metav1.Condition {
	if it == nil {
		return refs.InitiativeNotFound(obj.Namespace, obj.Spec.InitiativeRef.Name, "")
	}
	floor := successindex.Floor(it.Spec)
	conds, observed := obj.Status.Conditions, obj.Status.ObservedGeneration
	obj.Status = assessment.Evaluate(obj.Spec, floor)
	obj.Status.Conditions, obj.Status.ObservedGeneration = conds, observed
	if obj.Status.Rounds == 0 {
		msg := fmt.Sprintf("No round of %s has at least %d respondents (the confidentiality floor of Initiative %s): add a round to spec.rounds",
			obj.Name, floor, it.Name)
		return conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonNoRounds, msg)
	}
	return conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonAssessed, fmt.Sprintf("%d rounds, latest %s: %s",
		obj.Status.Rounds, obj.Status.LatestRound, obj.Status.Summary))
}

// SetupWithManager watches CultureAssessments and the Initiatives they name
// (the confidentiality floor lives there).
func (r *Reconciler) SetupWithManager(mgr manager.Manager, opts controller.Options) error {
	return builder.ControllerManagedBy(mgr).
		For(&v1alpha1.CultureAssessment{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Watches(&v1alpha1.Initiative{}, handler.EnqueueRequestsFromMapFunc(index.Requests(r.Client, newList, index.AssessmentByInitiative)), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WithOptions(opts).
		Named("cultureassessment").
		Complete(r.Watchdog.Wrap("cultureassessment", r))
}

func newList() *v1alpha1.CultureAssessmentList { return &v1alpha1.CultureAssessmentList{} }
