// Package cultureassessment reconciles CultureAssessments: it scores each
// discipline from the survey rounds kept in Git, hiding what the
// confidentiality floor protects.
package cultureassessment

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
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
	"github.com/momentum-dev/momentum/internal/assessment"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/index"
	"github.com/momentum-dev/momentum/internal/record"
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
	var ready metav1.Condition
	var evs []record.Event
	it := &v1alpha1.Initiative{}
	err := r.Client.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: obj.Spec.InitiativeRef.Name}, it)
	if apierrors.IsNotFound(err) {
		it, err = nil, nil
	} else if err != nil {
		err = fmt.Errorf("reading Initiative %s: %w", obj.Spec.InitiativeRef.Name, err)
	}
	if err == nil {
		ready = decide(obj, it)
		if prev := meta.FindStatusCondition(before.Status.Conditions, v1alpha1.ConditionReady); ready.Status == metav1.ConditionFalse && (prev == nil || prev.Reason != ready.Reason) {
			evs = append(evs, record.Event{Type: corev1.EventTypeWarning, Reason: ready.Reason, Note: ready.Message})
		}
	}
	wrote, conflict, perr := conditions.Write(ctx, r.Client, before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration,
		conditions.Result{Ready: ready, Err: err}, now)
	if conflict {
		return reconcile.Result{RequeueAfter: conditions.ConflictRetry}, nil
	}
	if perr != nil {
		return reconcile.Result{}, perr
	}
	if wrote {
		record.Emit(r.Recorder, obj, evs)
	}
	return reconcile.Result{}, err
}

// decide writes the scores into status and returns the Ready condition. A
// missing initiative is not Stalled: the initiative is watched, so it heals
// as soon as it appears. It reads no API and no clock.
func decide(obj *v1alpha1.CultureAssessment, it *v1alpha1.Initiative) metav1.Condition {
	if it == nil {
		return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonInitiativeNotFound, fmt.Sprintf(
			"Initiative %s named in spec.initiativeRef not found in namespace %s: create it or fix spec.initiativeRef",
			obj.Spec.InitiativeRef.Name, obj.Namespace))
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
		Watches(&v1alpha1.Initiative{}, handler.EnqueueRequestsFromMapFunc(r.assessmentsOf), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WithOptions(opts).
		Named("cultureassessment").
		Complete(r.Watchdog.Wrap("cultureassessment", r))
}

func (r *Reconciler) assessmentsOf(ctx context.Context, o client.Object) []reconcile.Request {
	list := &v1alpha1.CultureAssessmentList{}
	if err := r.Client.List(ctx, list, client.InNamespace(o.GetNamespace()), client.MatchingFields{index.AssessmentByInitiative: o.GetName()}); err != nil {
		logf.FromContext(ctx).Error(err, "Failed to list assessments of initiative", "initiative", o.GetName())
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(list.Items))
	for _, a := range list.Items {
		reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: a.Namespace, Name: a.Name}})
	}
	return reqs
}
