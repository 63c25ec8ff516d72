package sources

import (
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestCommitments(t *testing.T) {
	shown := v1alpha1.CommitmentRollup{Count: 6, MeanIndex: ptr.To[int32](72), Participation: ptr.To[int32](80), ReviewsOnTime: ptr.To[int32](83)}
	hidden := v1alpha1.CommitmentRollup{Count: 2, Participation: ptr.To[int32](40), ReviewsOnTime: ptr.To[int32](100), Hidden: "2 reviewed commitments, fewer than the confidentiality floor of 5"}
	tests := map[string]struct {
		roll    v1alpha1.CommitmentRollup
		measure v1alpha1.CommitmentsMeasure
		want    v1alpha1.Decimal // the value, or empty on error
		class   string           // the error class
	}{
		"mean index":                             {shown, v1alpha1.MeasureMeanIndex, "72", ""},
		"participation":                          {shown, v1alpha1.MeasureParticipation, "80", ""},
		"reviews on time":                        {shown, v1alpha1.MeasureReviewsOnTime, "83", ""},
		"mean index below the floor":             {hidden, v1alpha1.MeasureMeanIndex, "", ClassSourceUnavailable},
		"participation below the floor is shown": {hidden, v1alpha1.MeasureParticipation, "40", ""},
		"no commitments":                         {v1alpha1.CommitmentRollup{}, v1alpha1.MeasureReviewsOnTime, "", ClassSourceUnavailable},
		"unknown measure":                        {shown, "Vibes", "", ClassInvalidSpec},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			got, err := Commitments(tc.roll, tc.measure)
			g.Expect(got).To(Equal(tc.want))
			if tc.class == "" {
				g.Expect(err).NotTo(HaveOccurred())
				return
			}
			g.Expect(err).To(HaveField("Class", tc.class))
		})
	}
}

func TestAssessment(t *testing.T) {
	a := &v1alpha1.CultureAssessment{Status: v1alpha1.CultureAssessmentStatus{Disciplines: []v1alpha1.DisciplineStatus{
		{Name: "customer-insight", Score: ptr.To[v1alpha1.Decimal]("3.1"), Target: "3.5", Breadth: ptr.To[int32](50), Depth: ptr.To[v1alpha1.Decimal]("1.1")},
		{Name: "learning", Score: ptr.To[v1alpha1.Decimal]("3.6"), Target: "3.5"},
	}}}
	tests := map[string]struct {
		discipline string
		measure    v1alpha1.AssessmentMeasure
		want       v1alpha1.Decimal
	}{
		"score":                 {"customer-insight", v1alpha1.MeasureScore, "3.1"},
		"breadth":               {"customer-insight", v1alpha1.MeasureBreadth, "50"},
		"depth":                 {"customer-insight", v1alpha1.MeasureDepth, "1.1"},
		"no segments: no depth": {"learning", v1alpha1.MeasureDepth, ""},
		"unknown discipline":    {"astrology", v1alpha1.MeasureScore, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			got, err := Assessment(a, &v1alpha1.AssessmentSource{Discipline: tc.discipline, Measure: tc.measure})
			g.Expect(got).To(Equal(tc.want))
			g.Expect(err != nil).To(Equal(tc.want == ""))
		})
	}
}
