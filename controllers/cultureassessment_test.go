package controllers_test

import (
	"context"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
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
