package index

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

const (
	// CommitmentByInitiative indexes Commitments by spec.initiativeRef.name.
	CommitmentByInitiative = "spec.initiativeRef.name"
	// AssessmentByInitiative indexes CultureAssessments by spec.initiativeRef.name.
	AssessmentByInitiative = "spec.initiativeRef.name"
	// IndicatorByAssessment indexes LeadingIndicators by the CultureAssessment
	// their assessment source derives from.
	IndicatorByAssessment = "spec.source.assessment.assessmentRef.name"
)

// RegisterSuccess adds the indexes of the Success Index and culture
// assessments to the manager's cache.
func RegisterSuccess(ctx context.Context, indexer client.FieldIndexer) error {
	if err := indexer.IndexField(ctx, &v1alpha1.Commitment{}, CommitmentByInitiative, func(o client.Object) []string {
		return []string{o.(*v1alpha1.Commitment).Spec.InitiativeRef.Name}
	}); err != nil {
		return err
	}
	if err := indexer.IndexField(ctx, &v1alpha1.CultureAssessment{}, AssessmentByInitiative, func(o client.Object) []string {
		return []string{o.(*v1alpha1.CultureAssessment).Spec.InitiativeRef.Name}
	}); err != nil {
		return err
	}
	return indexer.IndexField(ctx, &v1alpha1.LeadingIndicator{}, IndicatorByAssessment, func(o client.Object) []string {
		if src := o.(*v1alpha1.LeadingIndicator).Spec.Source; src != nil && src.Assessment != nil {
			return []string{src.Assessment.AssessmentRef.Name}
		}
		return nil
	})
}
