package controllers_test

import (
	"context"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func disciplineScores(kv ...string) []v1alpha1.DisciplineScore {
	var out []v1alpha1.DisciplineScore
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, v1alpha1.DisciplineScore{Discipline: kv[i], Score: v1alpha1.Decimal(kv[i+1])})
	}
	return out
}

func newAssessment(ns, name, initiative string) *v1alpha1.CultureAssessment {
	return &v1alpha1.CultureAssessment{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.CultureAssessmentSpec{
			InitiativeRef: v1alpha1.LocalObjectReference{Name: initiative},
			Scale:         &v1alpha1.ScoreScale{Min: "1", Max: "5"},
			Disciplines: []v1alpha1.Discipline{
				{Name: "customer-insight", Target: "3.5"}, {Name: "empowerment", Target: "3.5"},
			},
			Rounds: []v1alpha1.AssessmentRound{
				{Date: "2026-04-01", Respondents: 110, Scores: disciplineScores("customer-insight", "2.8", "empowerment", "3.4"),
					Themes: []string{"Nobody tells us what customers said"}},
				{Date: "2026-10-01", Respondents: 120, Scores: disciplineScores("customer-insight", "3.1", "empowerment", "3.6"),
					Segments: []v1alpha1.SegmentScores{
						{Name: "support", Respondents: 40, Scores: disciplineScores("customer-insight", "3.6", "empowerment", "3.9")},
						{Name: "sales", Respondents: 30, Scores: disciplineScores("customer-insight", "2.5", "empowerment", "3.2")},
						{Name: "legal", Respondents: 4, Scores: disciplineScores("customer-insight", "1.0", "empowerment", "1.0")},
					}},
			},
		},
	}
}

// An assessment scores each discipline, hides small segments, names the
// weakest discipline on the initiative, and gates a stage through an
// assessment-sourced indicator.
func TestCultureAssessmentGatesAndNamesTheWeakestDiscipline(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	it := newInitiative(ns, "customer-first")
	it.Spec.Stages = []v1alpha1.Stage{
		{Name: "Embedding", ExitCriteria: &v1alpha1.ExitCriteria{Indicators: []v1alpha1.IndicatorCriterion{{Name: "customer-insight"}}}},
		{Name: "Reinforcement"},
	}
	ind := newIndicator(ns, "customer-insight", "customer-first", "3.5")
	ind.Spec.Category = v1alpha1.CategoryCultureMeasurement
	ind.Spec.Source = &v1alpha1.IndicatorSource{Assessment: &v1alpha1.AssessmentSource{
		AssessmentRef: v1alpha1.LocalObjectReference{Name: "culture-pulse"}, Discipline: "customer-insight", Measure: v1alpha1.MeasureScore}}
	a := newAssessment(ns, "culture-pulse", "customer-first")
	create(t, it, ind, a)

	g.Eventually(func(g Gomega) {
		got := &v1alpha1.CultureAssessment{}
		g.Expect(k8s.Get(context.Background(), key(ns, "culture-pulse"), got)).To(Succeed())
		g.Expect(got.Status.Weakest).To(Equal([]string{"customer-insight"}))
		g.Expect(got.Status.Disciplines).To(HaveLen(2))
		ci := got.Status.Disciplines[0]
		g.Expect(ci.Score).To(Equal(ptr.To[v1alpha1.Decimal]("3.1")))
		g.Expect(ci.ChangeSinceBaseline).To(Equal(ptr.To[v1alpha1.Decimal]("0.3")))
		g.Expect(ci.Breadth).To(Equal(ptr.To[int32](50)))
		g.Expect(ci.Depth).To(Equal(ptr.To[v1alpha1.Decimal]("1.1")))
		g.Expect(ci.HiddenSegments).To(Equal(int32(1)), "legal has fewer respondents than the floor")
		g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionReady).Message).To(Equal(
			"2 rounds, latest 2026-10-01: customer-insight is the weakest discipline: 3.1 < target 3.5"))
		g.Expect(got.Status.Summary+strings.Join(got.Status.Weakest, "")).NotTo(ContainSubstring("Nobody tells us"), "themes stay in Git")

		ini := getInitiative(g, ns, "customer-first")
		g.Expect(ini.Status.Funnel).NotTo(BeNil())
		g.Expect(ini.Status.Funnel.WeakestDiscipline).To(Equal(
			"customer-insight is the weakest discipline: 3.1 < target 3.5 (assessment culture-pulse)"))
		g.Expect(getIndicator(g, ns, "customer-insight").Status.Value).To(Equal(ptr.To[v1alpha1.Decimal]("3.1")))
		g.Expect(ini.Status.Stage).To(Equal("Embedding"))
	}).WithTimeout(timeout).Should(Succeed())

	// A new round lifts customer insight to target: the gate opens.
	update(t, a, func(o *v1alpha1.CultureAssessment) {
		o.Spec.Rounds = append(o.Spec.Rounds, v1alpha1.AssessmentRound{Date: "2026-11-10", Respondents: 130,
			Scores: disciplineScores("customer-insight", "3.7", "empowerment", "3.3")})
	})
	g.Eventually(func(g Gomega) {
		ini := getInitiative(g, ns, "customer-first")
		g.Expect(ini.Status.Stage).To(Equal("Reinforcement"))
		g.Expect(ini.Status.Funnel.WeakestDiscipline).To(HavePrefix("empowerment is the weakest discipline: 3.3 < target 3.5"))
	}).WithTimeout(timeout).Should(Succeed())
}

// The API server rejects bad assessments whole, naming the field.
func TestAPIServerRejectsBadAssessments(t *testing.T) {
	ns := namespace(t)
	round := func(a *v1alpha1.CultureAssessment) *v1alpha1.AssessmentRound { return &a.Spec.Rounds[1] }
	tests := map[string]struct {
		mutate func(a *v1alpha1.CultureAssessment)
		want   string
	}{
		"no disciplines":          {func(a *v1alpha1.CultureAssessment) { a.Spec.Disciplines = nil; a.Spec.Rounds = nil }, "spec.disciplines: Required value"},
		"discipline name not DNS": {func(a *v1alpha1.CultureAssessment) { a.Spec.Disciplines[0].Name = "Customer Insight" }, "spec.disciplines[0].name: Invalid value"},
		"duplicate discipline": {func(a *v1alpha1.CultureAssessment) {
			a.Spec.Disciplines = append(a.Spec.Disciplines, a.Spec.Disciplines[0])
		}, "spec.disciplines[2]: Duplicate value"},
		"impossible round date":     {func(a *v1alpha1.CultureAssessment) { round(a).Date = "2026-13-01" }, "spec.rounds[1].date: Invalid value"},
		"leap day in a common year": {func(a *v1alpha1.CultureAssessment) { round(a).Date = "2027-02-29" }, "spec.rounds[1].date: Invalid value"},
		"negative respondents":      {func(a *v1alpha1.CultureAssessment) { round(a).Respondents = -1 }, "spec.rounds[1].respondents: Invalid value: -1"},
		"score for an unknown discipline": {func(a *v1alpha1.CultureAssessment) {
			round(a).Scores = append(round(a).Scores, v1alpha1.DisciplineScore{Discipline: "astrology", Score: "4"})
		}, "spec.rounds: Invalid value: every spec.rounds[].scores[].discipline must name a discipline in spec.disciplines"},
		"segment score for an unknown discipline": {func(a *v1alpha1.CultureAssessment) {
			round(a).Segments[0].Scores[0].Discipline = "astrology"
		}, "every spec.rounds[].segments[].scores[].discipline must name a discipline"},
		"a round without scores": {func(a *v1alpha1.CultureAssessment) { round(a).Scores = nil }, "spec.rounds[1].scores: Required value"},
		"theme over its bound":   {func(a *v1alpha1.CultureAssessment) { round(a).Themes = []string{strings.Repeat("x", 513)} }, "spec.rounds[1].themes[0]: Too long: may not be more than 512 bytes"},
		"too many segments": {func(a *v1alpha1.CultureAssessment) {
			for i := range 41 {
				round(a).Segments = append(round(a).Segments, v1alpha1.SegmentScores{Name: strings.Repeat("s", i+1), Respondents: 9, Scores: disciplineScores("empowerment", "3")})
			}
		}, "spec.rounds[1].segments: Too many: 44: must have at most 40 items"},
		"two rounds on one date": {func(a *v1alpha1.CultureAssessment) { round(a).Date = a.Spec.Rounds[0].Date }, "spec.rounds[1]: Duplicate value"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			a := newAssessment(ns, "bad", "customer-first")
			tc.mutate(a)
			err := k8s.Create(context.Background(), a)
			g.Expect(apierrors.IsInvalid(err)).To(BeTrue(), "%v", err)
			g.Expect(err.Error()).To(ContainSubstring(tc.want))
		})
	}
}
