package sources

import (
	"fmt"
	"strconv"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// Commitments derives a value from the roll-up of an initiative's
// Commitments. A score aggregate the confidentiality floor hides has no
// value: the indicator waits, it is not told a number.
func Commitments(r v1alpha1.CommitmentRollup, measure v1alpha1.CommitmentsMeasure) (v1alpha1.Decimal, error) {
	var v *int32
	switch measure {
	case v1alpha1.MeasureMeanIndex:
		if r.MeanIndex == nil {
			return "", newError(ClassSourceUnavailable, "commitments source: "+orDefault(r.Hidden, "no reviewed commitment yet"))
		}
		v = r.MeanIndex
	case v1alpha1.MeasureParticipation:
		v = r.Participation
	case v1alpha1.MeasureReviewsOnTime:
		v = r.ReviewsOnTime
	default:
		return "", newError(ClassInvalidSpec, fmt.Sprintf("commitments source: unknown measure %q", measure))
	}
	if v == nil {
		return "", newError(ClassSourceUnavailable, "commitments source: no commitments yet")
	}
	return v1alpha1.Decimal(strconv.FormatInt(int64(*v), 10)), nil
}

// Assessment derives a value from a CultureAssessment's status: a
// discipline's latest score, its breadth or its depth.
func Assessment(a *v1alpha1.CultureAssessment, src *v1alpha1.AssessmentSource) (v1alpha1.Decimal, error) {
	if a == nil || src == nil {
		return "", newError(ClassInvalidSpec, "assessment source: no assessment")
	}
	for _, d := range a.Status.Disciplines {
		if d.Name != src.Discipline {
			continue
		}
		switch {
		case src.Measure == v1alpha1.MeasureScore && d.Score != nil:
			return *d.Score, nil
		case src.Measure == v1alpha1.MeasureBreadth && d.Breadth != nil:
			return v1alpha1.Decimal(strconv.FormatInt(int64(*d.Breadth), 10)), nil
		case src.Measure == v1alpha1.MeasureDepth && d.Depth != nil:
			return *d.Depth, nil
		}
		return "", newError(ClassSourceUnavailable, fmt.Sprintf(
			"assessment source: no %s of discipline %q yet (no round, or no segment above the confidentiality floor)", src.Measure, src.Discipline))
	}
	return "", newError(ClassSourceUnavailable, fmt.Sprintf("assessment source: CultureAssessment %q has no scored discipline %q", a.Name, src.Discipline))
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
