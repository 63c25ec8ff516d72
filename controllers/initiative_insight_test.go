package controllers_test

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestFunnelNamesTheWeakestLink(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, newInitiative(ns, "customer-first"))
	for name, spec := range map[string]struct {
		cat           v1alpha1.IndicatorCategory
		value, target string
	}{
		"awareness":     {v1alpha1.CategoryAwareness, "80", "75"},
		"understanding": {v1alpha1.CategoryUnderstanding, "62", "70"},
		"belief":        {v1alpha1.CategoryEmployeeBelief, "48", "70"},
	} {
		ind := newIndicator(ns, name, "customer-first", spec.target, sample(2, spec.value))
		ind.Spec.Category = spec.cat
		create(t, ind)
	}
	g.Eventually(func(g Gomega) {
		f := getInitiative(g, ns, "customer-first").Status.Funnel
		g.Expect(f).NotTo(BeNil())
		g.Expect(f.WeakestLink).To(Equal("belief is the weakest link: 48 < target 70"))
		g.Expect(f.Levels).To(HaveLen(4))
		g.Expect(f.Levels[0]).To(And(HaveField("Level", v1alpha1.FunnelAwareness), HaveField("Health", v1alpha1.HealthOnTarget)))
		g.Expect(f.Levels[1].Health).To(Equal(v1alpha1.HealthAtRisk))
		g.Expect(f.Levels[2].Health).To(Equal(v1alpha1.HealthOffTarget))
		g.Expect(f.Levels[3]).To(And(HaveField("Level", v1alpha1.FunnelAction), HaveField("Health", v1alpha1.HealthUnknown)))
	}).WithTimeout(timeout).Should(Succeed())
}

func TestNoProgressWithinTheMomentumWindow(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	it := newInitiative(ns, "customer-first")
	it.Spec.MomentumWindow = &metav1.Duration{Duration: 72 * time.Hour}
	it.Spec.Stages = []v1alpha1.Stage{
		{Name: "Initiation", ExitCriteria: &v1alpha1.ExitCriteria{Actions: []v1alpha1.Action{{Name: "publish-why"}, {Name: "form-council"}}}},
		{Name: "Reinforcement"},
	}
	create(t, it)
	r := newInitiativeReconciler(k8s, clk)
	atRisk := func() *metav1.Condition {
		return condition(getInitiative(g, ns, "customer-first").Status.Conditions, v1alpha1.ConditionMomentumAtRisk)
	}

	res, err := r.Reconcile(context.Background(), requestFor(it))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.RequeueAfter).To(Equal(72*time.Hour), "re-evaluated when the window closes")
	g.Expect(atRisk().Reason).To(Equal(v1alpha1.ReasonOnTrack))

	// A gate newly met is progress: the window starts again.
	clk.Step(48 * time.Hour)
	update(t, it, func(o *v1alpha1.Initiative) { o.Spec.Stages[0].ExitCriteria.Actions[0].Done = true })
	_, err = r.Reconcile(context.Background(), requestFor(it))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(getInitiative(g, ns, "customer-first").Status.LastProgressTime.Time).To(BeTemporally("==", t0.Add(48*time.Hour)))

	clk.Step(71 * time.Hour)
	_, err = r.Reconcile(context.Background(), requestFor(it))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(atRisk().Reason).To(Equal(v1alpha1.ReasonOnTrack))

	clk.Step(2 * time.Hour)
	_, err = r.Reconcile(context.Background(), requestFor(it))
	g.Expect(err).NotTo(HaveOccurred())
	c := atRisk()
	g.Expect(c.Status).To(Equal(metav1.ConditionTrue))
	g.Expect(c.Reason).To(Equal(v1alpha1.ReasonNoProgress))
	g.Expect(c.Message).To(ContainSubstring("no gate newly met and no new measurement since 2026-11-17T09:00:00Z"))
}

func TestComplacencyInTheLastStage(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	it := newInitiative(ns, "customer-first")
	it.Spec.Stages = []v1alpha1.Stage{{Name: "Reinforcement"}}
	create(t, it)
	// On target, but sliding.
	create(t, newIndicator(ns, "employee-awareness", "customer-first", "75", sample(30, "95"), sample(20, "90"), sample(10, "86"), sample(1, "81")))
	g.Eventually(func(g Gomega) {
		c := condition(getInitiative(g, ns, "customer-first").Status.Conditions, v1alpha1.ConditionMomentumAtRisk)
		g.Expect(c).NotTo(BeNil())
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonComplacency))
		g.Expect(c.Message).To(ContainSubstring("1 indicator declining: employee-awareness"))
	}).WithTimeout(timeout).Should(Succeed())
}

func TestImprovementBaselineSurvivesRestart(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	stop := startManager(t, ns, clocktesting.NewFakeClock(t0))
	it := newInitiative(ns, "customer-first")
	it.Spec.Stages = []v1alpha1.Stage{
		{Name: "Embedding", ExitCriteria: &v1alpha1.ExitCriteria{Indicators: []v1alpha1.IndicatorCriterion{{
			Name: "nps", Health: v1alpha1.RequireNotOffTarget, Improvement: &v1alpha1.Improvement{Points: ptr.To(v1alpha1.Decimal("5"))},
		}}}},
		{Name: "Reinforcement"},
	}
	ind := newIndicator(ns, "nps", "customer-first", "30", sample(10, "30"))
	create(t, it, ind)
	g.Eventually(func(g Gomega) {
		h := getInitiative(g, ns, "customer-first").Status.History
		g.Expect(h).To(HaveLen(1))
		g.Expect(h[0].Baselines).To(ConsistOf(v1alpha1.Baseline{Indicator: "nps", Value: "30"}))
	}).WithTimeout(timeout).Should(Succeed())

	stop()
	update(t, ind, func(o *v1alpha1.LeadingIndicator) { o.Spec.Samples = append(o.Spec.Samples, sample(5, "33")) })
	startManager(t, ns, clocktesting.NewFakeClock(t0.Add(time.Hour)))
	g.Eventually(func(g Gomega) {
		got := getInitiative(g, ns, "customer-first")
		g.Expect(got.Status.Gates).To(HaveLen(1))
		g.Expect(got.Status.Gates[0].Message).To(ContainSubstring("+3 since the stage began (baseline 30); needs +5 points"))
		g.Expect(got.Status.History[0].Baselines).To(ConsistOf(v1alpha1.Baseline{Indicator: "nps", Value: "30"}), "the baseline is not moved by the restart")
		g.Expect(got.Status.Stages).To(HaveLen(2))
		g.Expect(got.Status.Stages[0].State).To(Equal(v1alpha1.StageCurrent))
	}).WithTimeout(timeout).Should(Succeed())

	update(t, ind, func(o *v1alpha1.LeadingIndicator) { o.Spec.Samples = append(o.Spec.Samples, sample(1, "36")) })
	g.Eventually(func(g Gomega) {
		got := getInitiative(g, ns, "customer-first")
		g.Expect(got.Status.Stage).To(Equal("Reinforcement"))
		g.Expect(got.Status.History[0].Reason).To(ContainSubstring("+6 since the stage began (baseline 30)"))
	}).WithTimeout(timeout).Should(Succeed())
}

func TestTrendGateWaitsForEnoughImprovingMeasurements(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	it := newInitiative(ns, "customer-first")
	it.Spec.Stages = []v1alpha1.Stage{
		{Name: "Embedding", ExitCriteria: &v1alpha1.ExitCriteria{Indicators: []v1alpha1.IndicatorCriterion{{
			Name: "csat", Health: v1alpha1.RequireNotOffTarget, Trend: v1alpha1.RequireImproving, TrendSamples: ptr.To[int32](3),
		}}}},
		{Name: "Reinforcement"},
	}
	ind := newIndicator(ns, "csat", "customer-first", "70", sample(20, "62"), sample(10, "66"))
	create(t, it, ind)
	gate := func(g Gomega) v1alpha1.GateStatus {
		got := getInitiative(g, ns, "customer-first")
		g.Expect(got.Status.Gates).To(HaveLen(1), "history: %+v", got.Status.History)
		return got.Status.Gates[0]
	}
	g.Eventually(func(g Gomega) {
		g.Expect(gate(g).Message).To(ContainSubstring("trend needs 3 measurements, has 2"))
	}).WithTimeout(timeout).Should(Succeed())

	// A third measurement makes the trend readable: improving, so the stage is left.
	update(t, ind, func(o *v1alpha1.LeadingIndicator) { o.Spec.Samples = append(o.Spec.Samples, sample(5, "66")) })
	g.Eventually(func(g Gomega) {
		got := getInitiative(g, ns, "customer-first")
		g.Expect(got.Status.Stage).To(Equal("Reinforcement"))
		g.Expect(got.Status.History[0].Reason).To(ContainSubstring("csat is AtRisk: 66 < target 70; trend Improving over 3 measurements"))
	}).WithTimeout(timeout).Should(Succeed())
}
