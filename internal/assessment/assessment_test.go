package assessment

import (
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func scores(kv ...string) []v1alpha1.DisciplineScore {
	var out []v1alpha1.DisciplineScore
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, v1alpha1.DisciplineScore{Discipline: kv[i], Score: v1alpha1.Decimal(kv[i+1])})
	}
	return out
}

func spec() v1alpha1.CultureAssessmentSpec {
	return v1alpha1.CultureAssessmentSpec{
		Disciplines: []v1alpha1.Discipline{{Name: "customer-insight", Target: "3.5"}, {Name: "empowerment", Target: "3.5"}, {Name: "leadership", Target: "4"}},
		Rounds: []v1alpha1.AssessmentRound{
			{Date: "2026-10-01", Respondents: 120, Scores: scores("customer-insight", "3.1", "empowerment", "3.6", "leadership", "3.2")},
			{Date: "2026-04-01", Respondents: 110, Scores: scores("customer-insight", "2.8", "empowerment", "3.4")},
			{Date: "2026-07-01", Respondents: 3, Scores: scores("customer-insight", "4.9")}, // below the floor
			{Date: "2027-01-10", Respondents: 130, Scores: scores("customer-insight", "2.9", "empowerment", "3.8"),
				Segments: []v1alpha1.SegmentScores{
					{Name: "support", Respondents: 40, Scores: scores("customer-insight", "3.6", "empowerment", "3.9")},
					{Name: "sales", Respondents: 30, Scores: scores("customer-insight", "2.5")},
					{Name: "legal", Respondents: 4, Scores: scores("customer-insight", "1.0")}, // below the floor
					{Name: "emea", Respondents: 60, Scores: scores("customer-insight", "3.25")},
				}},
		},
	}
}

func TestEvaluate(t *testing.T) {
	g := NewWithT(t)
	st := Evaluate(spec(), 5)
	g.Expect(st.Rounds).To(Equal(int32(3)))
	g.Expect(st.HiddenRounds).To(Equal(int32(1)))
	g.Expect(st.BaselineRound).To(Equal("2026-04-01"))
	g.Expect(st.LatestRound).To(Equal("2027-01-10"))
	g.Expect(st.Weakest).To(Equal([]string{"leadership", "customer-insight"}))
	g.Expect(st.Summary).To(Equal("leadership is the weakest discipline: 3.2 < target 4"))

	tests := map[string]v1alpha1.DisciplineStatus{
		"customer-insight": {Name: "customer-insight", Score: ptr.To[v1alpha1.Decimal]("2.9"), Target: "3.5",
			ChangeSincePrevious: ptr.To[v1alpha1.Decimal]("-0.2"), ChangeSinceBaseline: ptr.To[v1alpha1.Decimal]("0.1"),
			// support 3.6 of 3 shown segments is at target; 3.6 − 2.5 = 1.1; legal is hidden.
			Breadth: ptr.To[int32](33), Depth: ptr.To[v1alpha1.Decimal]("1.1"), Segments: 3, HiddenSegments: 1},
		"empowerment": {Name: "empowerment", Score: ptr.To[v1alpha1.Decimal]("3.8"), Target: "3.5", OnTarget: true,
			ChangeSincePrevious: ptr.To[v1alpha1.Decimal]("0.2"), ChangeSinceBaseline: ptr.To[v1alpha1.Decimal]("0.4"),
			Breadth: ptr.To[int32](100), Segments: 1},
		// Only scored in October: no later round, no segments.
		"leadership": {Name: "leadership", Score: ptr.To[v1alpha1.Decimal]("3.2"), Target: "4"},
	}
	for _, ds := range st.Disciplines {
		g.Expect(ds).To(Equal(tests[ds.Name]), ds.Name)
	}
}

func TestFloorHidesEverything(t *testing.T) {
	g := NewWithT(t)
	st := Evaluate(spec(), 200)
	g.Expect(st.Rounds).To(BeZero())
	g.Expect(st.HiddenRounds).To(Equal(int32(4)))
	g.Expect(st.Disciplines).To(BeEmpty())
}

func TestSub(t *testing.T) {
	tests := map[string]struct{ a, b, want v1alpha1.Decimal }{
		"decimals":          {"2.9", "3.1", "-0.2"},
		"more precise wins": {"3.25", "3", "0.25"},
		"trailing zeros":    {"3.50", "3", "0.5"},
		"zero":              {"3.1", "3.10", "0"},
		"integers":          {"72", "65", "7"},
		"exponent":          {"1e1", "2.5", "7.5"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(Sub(tc.a, tc.b)).To(Equal(tc.want))
		})
	}
}
