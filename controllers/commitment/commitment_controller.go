// Package commitment reconciles Commitments: it computes each one's Success
// Index from its quarterly reviews and says when the next review is due.
// The reconcile itself is package dependent's; this package says what the
// kind is and decides its status (commitment_status.go).
package commitment

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers/dependent"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/index"
)

// Reconciler reconciles Commitments, and asks to be called again when a
// review falls due or an action turns overdue.
type Reconciler = dependent.Reconciler[*v1alpha1.Commitment, *v1alpha1.CommitmentList, kind]

// +kubebuilder:rbac:groups=culture.momentum.dev,resources=commitments,verbs=get;list;watch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=commitments/status,verbs=get;patch
// +kubebuilder:rbac:groups=culture.momentum.dev,resources=initiatives,verbs=get;list;watch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// kind describes Commitments to the shared reconcile; the Initiatives they
// name are watched so a missing initiative or behavior heals as soon as it
// appears.
type kind struct{}

func (kind) Describe() dependent.Kind[*v1alpha1.Commitment, *v1alpha1.CommitmentList] {
	return dependent.Kind[*v1alpha1.Commitment, *v1alpha1.CommitmentList]{
		Name:         "Commitment",
		New:          func() *v1alpha1.Commitment { return &v1alpha1.Commitment{} },
		NewList:      func() *v1alpha1.CommitmentList { return &v1alpha1.CommitmentList{} },
		ByInitiative: index.CommitmentByInitiative,
		Initiative:   func(obj *v1alpha1.Commitment) string { return obj.Spec.InitiativeRef.Name },
		Status: func(obj *v1alpha1.Commitment) (*[]metav1.Condition, *int64) {
			return &obj.Status.Conditions, &obj.Status.ObservedGeneration
		},
		Decide: outcome,
	}
}

// outcome is decide's decision as the shared reconcile records it.
func outcome(obj *v1alpha1.Commitment, initiative *v1alpha1.Initiative, now time.Time) conditions.Outcome {
	d := decide(obj, initiative, now)
	return conditions.Outcome{Result: conditions.Result{Ready: d.ready}, Events: d.events, RecheckAt: d.recheckAt}
}
