// Package cultureassessment reconciles CultureAssessments: it scores each
// discipline from the survey rounds kept in Git, hiding what the
// confidentiality floor protects. The reconcile itself is package
// dependent's; this package says what the kind is and decides its status.
package cultureassessment

import (
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers/dependent"
	"github.com/momentum-dev/momentum/internal/assessment"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/index"
	"github.com/momentum-dev/momentum/internal/refs"
	"github.com/momentum-dev/momentum/internal/successindex"
)

// Reconciler reconciles CultureAssessments. Nothing depends on time.
type Reconciler = dependent.Reconciler[*v1alpha1.CultureAssessment, *v1alpha1.CultureAssessmentList, kind]

// +kubebuilder:rbac:groups=culture.momentum.dev,resources=cultureassessments,verbs=get;list;watch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=cultureassessments/status,verbs=get;patch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=initiatives,verbs=get;list;watch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// kind describes CultureAssessments to the shared reconcile; the
// Initiatives they name are watched because the confidentiality floor
// lives there.
type kind struct{}

func (kind) Describe() dependent.Kind[*v1alpha1.CultureAssessment, *v1alpha1.CultureAssessmentList] {
	return dependent.Kind[*v1alpha1.CultureAssessment, *v1alpha1.CultureAssessmentList]{
		Name:         "CultureAssessment",
		New:          func() *v1alpha1.CultureAssessment { return &v1alpha1.CultureAssessment{} },
		NewList:      func() *v1alpha1.CultureAssessmentList { return &v1alpha1.CultureAssessmentList{} },
		ByInitiative: index.AssessmentByInitiative,
		Initiative:   func(obj *v1alpha1.CultureAssessment) string { return obj.Spec.InitiativeRef.Name },
		Status: func(obj *v1alpha1.CultureAssessment) (*[]metav1.Condition, *int64) {
			return &obj.Status.Conditions, &obj.Status.ObservedGeneration
		},
		Decide: outcome,
	}
}

// outcome is the Ready condition decide gives, with a Warning when it
// turns False.
func outcome(obj *v1alpha1.CultureAssessment, it *v1alpha1.Initiative, _ time.Time) conditions.Outcome {
	prev := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady).DeepCopy()
	ready := decide(obj, it)
	return conditions.Outcome{Result: conditions.Result{Ready: ready}, Events: conditions.Warning(prev, ready)}
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
