package leadingindicator

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/index"
	"github.com/momentum-dev/momentum/internal/sources"
	"github.com/momentum-dev/momentum/internal/successindex"
)

// measureSuccess derives a commitments or assessment source from the cache,
// without any request, as a recognition source is derived from its campaign.
func (r *Reconciler) measureSuccess(ctx context.Context, obj *v1alpha1.LeadingIndicator, now time.Time) (v1alpha1.Decimal, error) {
	src := obj.Spec.Source
	if src.Assessment != nil {
		a := &v1alpha1.CultureAssessment{}
		if err := r.Client.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: src.Assessment.AssessmentRef.Name}, a); err != nil {
			return "", fmt.Errorf("reading CultureAssessment %s: %w", src.Assessment.AssessmentRef.Name, err)
		}
		return sources.Assessment(a, src.Assessment)
	}
	it := &v1alpha1.Initiative{}
	if err := r.Client.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: obj.Spec.InitiativeRef.Name}, it); err != nil {
		return "", fmt.Errorf("reading Initiative %s: %w", obj.Spec.InitiativeRef.Name, err)
	}
	list := &v1alpha1.CommitmentList{}
	if err := r.Client.List(ctx, list, client.InNamespace(obj.Namespace), client.MatchingFields{index.CommitmentByInitiative: it.Name}); err != nil {
		return "", fmt.Errorf("listing Commitments of Initiative %s: %w", it.Name, err)
	}
	roll, _ := successindex.Rollup(it.Spec, successindex.Of(list.Items), now)
	return sources.Commitments(roll, src.Commitments.Measure)
}

// indicatorsOfCommitment maps a Commitment to the commitments-sourced
// indicators of its initiative.
func (r *Reconciler) indicatorsOfCommitment(ctx context.Context, o client.Object) []reconcile.Request {
	c := o.(*v1alpha1.Commitment)
	list := &v1alpha1.LeadingIndicatorList{}
	if err := r.Client.List(ctx, list, client.InNamespace(c.Namespace), client.MatchingFields{index.IndicatorByInitiative: c.Spec.InitiativeRef.Name}); err != nil {
		logf.FromContext(ctx).Error(err, "Failed to list indicators of initiative", "initiative", c.Spec.InitiativeRef.Name)
		return nil
	}
	var reqs []reconcile.Request
	for _, ind := range list.Items {
		if ind.Spec.Source != nil && ind.Spec.Source.Commitments != nil {
			reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: ind.Namespace, Name: ind.Name}})
		}
	}
	return reqs
}
