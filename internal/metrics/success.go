package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// The Success Index and culture assessments. Only aggregates are exported,
// as status shows them: no one's own index, and nothing the confidentiality
// floor hides.
var (
	assessmentLabels = []string{labelNamespace, labelInitiative, "assessment", "discipline"}

	successIndexMean = newDesc("momentum_success_index_mean",
		"Mean latest Success Index (0-100) of an Initiative's reviewed Commitments (status.commitments.meanIndex); absent below the confidentiality floor.",
		initiativeLabels)
	successCommitments = newDesc("momentum_success_commitments",
		"Commitments of an Initiative (status.commitments.count).",
		initiativeLabels)
	successParticipation = newDesc("momentum_success_participation",
		"Percent of sponsors, council members and teams that own a Commitment (status.commitments.participation).",
		initiativeLabels)
	successReviewsOverdue = newDesc("momentum_success_reviews_overdue",
		"Commitments of an Initiative whose quarterly review is overdue (status.commitments.overdueReviews).",
		initiativeLabels)

	disciplineScore = newDesc("momentum_assessment_discipline_score",
		"Latest score of a discipline of a CultureAssessment (status.disciplines[].score).",
		assessmentLabels)
	disciplineTarget = newDesc("momentum_assessment_discipline_target",
		"Target of a discipline of a CultureAssessment (spec.disciplines[].target).",
		assessmentLabels)
	disciplineBreadth = newDesc("momentum_assessment_discipline_breadth",
		"Percent of shown segments at or above the discipline's target; absent without segments above the confidentiality floor.",
		assessmentLabels)
	disciplineDepth = newDesc("momentum_assessment_discipline_depth",
		"Spread between the best and the worst shown segment of a discipline; absent with fewer than two.",
		assessmentLabels)
)

var successDescs = []*prometheus.Desc{
	successIndexMean, successCommitments, successParticipation, successReviewsOverdue,
	disciplineScore, disciplineTarget, disciplineBreadth, disciplineDepth,
}

func init() { descs = append(descs, successDescs...) }

// collectSuccess exports an Initiative's commitments roll-up.
func collectSuccess(ch *sink, in *v1alpha1.Initiative) {
	roll := in.Status.Commitments
	if roll == nil {
		return
	}
	lv := []string{in.Namespace, in.Name}
	ch.gauge(successCommitments, float64(roll.Count), lv...)
	ch.gauge(successReviewsOverdue, float64(roll.OverdueReviews), lv...)
	if roll.MeanIndex != nil {
		ch.gauge(successIndexMean, float64(*roll.MeanIndex), lv...)
	}
	if roll.Participation != nil {
		ch.gauge(successParticipation, float64(*roll.Participation), lv...)
	}
}

// collectAssessment exports each discipline of a CultureAssessment.
func collectAssessment(ch *sink, a *v1alpha1.CultureAssessment) {
	for _, d := range a.Status.Disciplines {
		lv := []string{a.Namespace, a.Spec.InitiativeRef.Name, a.Name, d.Name}
		ch.gauge(disciplineTarget, d.Target.Float64(), lv...)
		if d.Score != nil {
			ch.gauge(disciplineScore, d.Score.Float64(), lv...)
		}
		if d.Breadth != nil {
			ch.gauge(disciplineBreadth, float64(*d.Breadth), lv...)
		}
		if d.Depth != nil {
			ch.gauge(disciplineDepth, d.Depth.Float64(), lv...)
		}
	}
}
