package controllers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestInitiativeAdvancesThroughAllStagesByApproval(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))

	it := newInitiative(ns, "customer-first")
	create(t, it)

	g.Eventually(func(g Gomega) {
		got := getInitiative(g, ns, "customer-first")
		g.Expect(got.Status.Stage).To(Equal("Initiation"))
		g.Expect(got.Status.Progress).To(Equal(ptr.To(int32(0))))
		ready := condition(got.Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready).NotTo(BeNil())
		g.Expect(ready.Status).To(Equal(metav1.ConditionTrue))
		g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonStageInProgress))
		g.Expect(ready.Message).To(ContainSubstring("stage Initiation awaits approval"))
		g.Expect(got.Status.Gates).To(ConsistOf(HaveField("Kind", v1alpha1.GateApproval)))
	}).WithTimeout(timeout).Should(Succeed())

	// Approve stage after stage: each approval moves exactly one stage on.
	want := []struct {
		stage    string
		progress int32
	}{{"Implementation", 33}, {"Embedding", 66}, {"Reinforcement", 100}}
	for i, stage := range v1alpha1.DefaultStages[:3] {
		update(t, it, func(o *v1alpha1.Initiative) {
			o.Spec.Approvals = append(o.Spec.Approvals, v1alpha1.Approval{Stage: stage, ApprovedBy: "Dana Lee"})
		})
		g.Eventually(func(g Gomega) {
			got := getInitiative(g, ns, "customer-first")
			g.Expect(got.Status.Stage).To(Equal(want[i].stage))
			g.Expect(*got.Status.Progress).To(Equal(want[i].progress))
			g.Expect(got.Status.ObservedGeneration).To(Equal(got.Generation))
		}).WithTimeout(timeout).Should(Succeed())
	}

	got := getInitiative(g, ns, "customer-first")
	g.Expect(got.Status.History).To(HaveLen(4))
	for i, h := range got.Status.History {
		g.Expect(h.Name).To(Equal(v1alpha1.DefaultStages[i]))
		if i < 3 {
			g.Expect(h.ExitedAt).NotTo(BeNil())
			g.Expect(h.Reason).To(ContainSubstring("approved by Dana Lee"))
		} else {
			g.Expect(h.ExitedAt).To(BeNil(), "the last stage has no exit")
		}
	}
	ready := condition(got.Status.Conditions, v1alpha1.ConditionReady)
	g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonFinalStage))
	g.Expect(got.Status.Gates).To(BeEmpty())
	g.Eventually(func(g Gomega) {
		advances := eventsFor(g, ns, "customer-first", v1alpha1.EventReasonStageAdvanced)
		g.Expect(advances).To(HaveLen(3))
		g.Expect(advances).To(ContainElement(HaveField("Note", ContainSubstring("Advanced from Embedding to Reinforcement: exit criteria met: stage Embedding approved by Dana Lee"))))
	}).WithTimeout(timeout).Should(Succeed())
}

func TestEachGateKindHoldsTheStageUntilMet(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))

	it := gatedProgram(ns)
	ind := newIndicator(ns, "employee-awareness", "customer-first", "75", sample(45, "58"), sample(14, "61"))
	create(t, it, ind)

	unmetGates := func(g Gomega) []string {
		got := getInitiative(g, ns, "customer-first")
		g.Expect(got.Status.Stage).To(Equal("Initiation"))
		var names []string
		for _, gate := range got.Status.Gates {
			if !gate.Met {
				names = append(names, string(gate.Kind))
			}
		}
		return names
	}
	g.Eventually(func(g Gomega) {
		g.Expect(unmetGates(g)).To(Equal([]string{"Action", "Indicator", "Approval"}))
		got := getInitiative(g, ns, "customer-first")
		g.Expect(got.Status.Gates[1].Message).To(Equal("employee-awareness is OffTarget: 61 < target 75; needs OnTarget"))
	}).WithTimeout(timeout).Should(Succeed())

	update(t, it, func(o *v1alpha1.Initiative) { o.Spec.Stages[0].ExitCriteria.Actions[0].Done = true })
	g.Eventually(unmetGates).WithTimeout(timeout).Should(Equal([]string{"Indicator", "Approval"}))

	update(t, it, func(o *v1alpha1.Initiative) {
		o.Spec.Approvals = []v1alpha1.Approval{{Stage: "Initiation", ApprovedBy: "Dana Lee"}}
	})
	g.Eventually(unmetGates).WithTimeout(timeout).Should(Equal([]string{"Indicator"}))
	g.Consistently(unmetGates).WithTimeout(2 * time.Second).Should(Equal([]string{"Indicator"}))

	// A new survey result on the indicator alone moves the initiative: the
	// indicator watch and index re-evaluate it at once.
	update(t, ind, func(o *v1alpha1.LeadingIndicator) { o.Spec.Samples = append(o.Spec.Samples, sample(1, "78")) })
	g.Eventually(func(g Gomega) {
		got := getInitiative(g, ns, "customer-first")
		g.Expect(got.Status.Stage).To(Equal("Implementation"))
		g.Expect(got.Status.History[0].Reason).To(ContainSubstring("employee-awareness is OnTarget: 78 > target 75"))
	}).WithTimeout(timeout).Should(Succeed())
}

func TestMinDurationRequeuesAtTheExactMoment(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	it := newInitiative(ns, "customer-first")
	it.Spec.Stages = []v1alpha1.Stage{
		{Name: "Initiation", ExitCriteria: &v1alpha1.ExitCriteria{MinDuration: &metav1.Duration{Duration: 720 * time.Hour}}},
		{Name: "Reinforcement"},
	}
	create(t, it)
	r := newInitiativeReconciler(k8s, clk)
	req := requestFor(it)

	res, err := r.Reconcile(context.Background(), req)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.RequeueAfter).To(Equal(720*time.Hour), "requeued at the moment minDuration passes, no polling")
	got := getInitiative(g, ns, "customer-first")
	g.Expect(got.Status.Gates[0].Message).To(Equal("minDuration 720h0m0s not reached: due at 2026-12-15T09:00:00Z"))

	clk.Step(719*time.Hour + 30*time.Minute)
	res, err = r.Reconcile(context.Background(), req)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.RequeueAfter).To(Equal(30 * time.Minute))
	g.Expect(getInitiative(g, ns, "customer-first").Status.Stage).To(Equal("Initiation"))

	clk.Step(30 * time.Minute)
	res, err = r.Reconcile(context.Background(), req)
	g.Expect(err).NotTo(HaveOccurred())
	got = getInitiative(g, ns, "customer-first")
	g.Expect(got.Status.Stage).To(Equal("Reinforcement"))
	g.Expect(got.Status.History[0].ExitedAt.Time).To(BeTemporally("==", t0.Add(720*time.Hour)))
	g.Expect(res.RequeueAfter).To(BeZero(), "the last stage has nothing to wait for")
}

func TestSuspendHoldsProgression(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))

	it := newInitiative(ns, "customer-first")
	it.Spec.Suspend = ptr.To(true)
	it.Spec.Approvals = []v1alpha1.Approval{{Stage: "Initiation", ApprovedBy: "Dana Lee"}}
	create(t, it)

	g.Eventually(func(g Gomega) {
		got := getInitiative(g, ns, "customer-first")
		ready := condition(got.Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready).NotTo(BeNil())
		g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonSuspended))
		g.Expect(ready.Message).To(ContainSubstring("set spec.suspend to false"))
		g.Expect(got.Status.Gates).To(ConsistOf(HaveField("Met", true)), "gates are still evaluated while suspended")
	}).WithTimeout(timeout).Should(Succeed())
	g.Consistently(func(g Gomega) {
		g.Expect(getInitiative(g, ns, "customer-first").Status.Stage).To(Equal("Initiation"))
	}).WithTimeout(2 * time.Second).Should(Succeed())

	update(t, it, func(o *v1alpha1.Initiative) { o.Spec.Suspend = ptr.To(false) })
	g.Eventually(func(g Gomega) {
		g.Expect(getInitiative(g, ns, "customer-first").Status.Stage).To(Equal("Implementation"))
	}).WithTimeout(timeout).Should(Succeed())
}

func TestHistorySurvivesSpecEditsAndManagerRestart(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	stop := startManager(t, ns, clocktesting.NewFakeClock(t0))

	it := newInitiative(ns, "customer-first")
	it.Spec.Approvals = []v1alpha1.Approval{{Stage: "Initiation", ApprovedBy: "Dana Lee"}}
	create(t, it)
	var history []v1alpha1.StageRecord
	g.Eventually(func(g Gomega) {
		got := getInitiative(g, ns, "customer-first")
		g.Expect(got.Status.Stage).To(Equal("Implementation"))
		history = got.Status.History
	}).WithTimeout(timeout).Should(Succeed())

	// Edit stages (adding criteria and a stage) and behaviors of the running initiative.
	update(t, it, func(o *v1alpha1.Initiative) {
		o.Spec.Behaviors = append(o.Spec.Behaviors, v1alpha1.Behavior{Name: "own-the-outcome"})
		o.Spec.Stages = []v1alpha1.Stage{
			{Name: "Initiation"},
			{Name: "Implementation", ExitCriteria: &v1alpha1.ExitCriteria{Actions: []v1alpha1.Action{{Name: "train-leaders"}}}},
			{Name: "Embedding"}, {Name: "Reinforcement"}, {Name: "Renewal"},
		}
	})
	g.Eventually(func(g Gomega) {
		got := getInitiative(g, ns, "customer-first")
		g.Expect(got.Status.ObservedGeneration).To(Equal(got.Generation))
		g.Expect(got.Status.Gates).To(ConsistOf(HaveField("Name", "train-leaders")))
		g.Expect(got.Status.History).To(Equal(history))
	}).WithTimeout(timeout).Should(Succeed())

	// Restart the manager with a clock a month later: nothing is rewritten.
	stop()
	before := getInitiative(g, ns, "customer-first")
	startManager(t, ns, clocktesting.NewFakeClock(t0.Add(30*24*time.Hour)))
	update(t, it, func(o *v1alpha1.Initiative) { o.Spec.Stages[1].ExitCriteria.Actions[0].Done = true })
	g.Eventually(func(g Gomega) {
		got := getInitiative(g, ns, "customer-first")
		g.Expect(got.Status.Stage).To(Equal("Embedding"))
		g.Expect(got.Status.History[:2]).To(HaveExactElements(before.Status.History[0], HaveField("Name", "Implementation")))
		g.Expect(got.Status.History[1].EnteredAt).To(Equal(before.Status.History[1].EnteredAt))
		g.Expect(got.Status.History[1].ExitedAt.Time).To(BeTemporally("==", t0.Add(30*24*time.Hour)))
	}).WithTimeout(timeout).Should(Succeed())
}

func TestRemovedCurrentStageStallsAndHeals(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))

	it := newInitiative(ns, "customer-first")
	it.Spec.Stages = []v1alpha1.Stage{{Name: "Piloting"}, {Name: "Scaling"}}
	create(t, it)
	g.Eventually(func(g Gomega) {
		g.Expect(getInitiative(g, ns, "customer-first").Status.Stage).To(Equal("Piloting"))
	}).WithTimeout(timeout).Should(Succeed())

	update(t, it, func(o *v1alpha1.Initiative) { o.Spec.Stages = []v1alpha1.Stage{{Name: "Scaling"}} })
	g.Eventually(func(g Gomega) {
		got := getInitiative(g, ns, "customer-first")
		g.Expect(got.Status.Stage).To(Equal("Piloting"), "the controller does not guess a new stage")
		ready := condition(got.Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready.Status).To(Equal(metav1.ConditionFalse))
		g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonStageNotFound))
		g.Expect(ready.Message).To(ContainSubstring("add stage Piloting back to spec.stages"))
		g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionStalled)).To(HaveField("Status", metav1.ConditionTrue))
		g.Expect(kstatusOf(g, got)).To(Equal("Failed"))
	}).WithTimeout(timeout).Should(Succeed())
	g.Eventually(func(g Gomega) {
		g.Expect(eventsFor(g, ns, "customer-first", v1alpha1.ReasonStageNotFound)).To(HaveLen(1))
		g.Expect(eventsFor(g, ns, "customer-first", v1alpha1.ReasonStageNotFound)[0].Type).To(Equal(corev1.EventTypeWarning))
	}).WithTimeout(timeout).Should(Succeed())

	update(t, it, func(o *v1alpha1.Initiative) {
		o.Spec.Stages = []v1alpha1.Stage{{Name: "Piloting"}, {Name: "Scaling"}}
	})
	g.Eventually(func(g Gomega) {
		got := getInitiative(g, ns, "customer-first")
		g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionReady).Status).To(Equal(metav1.ConditionTrue))
		g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionStalled)).To(BeNil(), "Stalled is present only while True")
		g.Expect(got.Status.History).To(HaveLen(1))
	}).WithTimeout(timeout).Should(Succeed())
}

func TestMissingIndicatorIsReportedAndHeals(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))

	create(t, gatedProgram(ns))
	g.Eventually(func(g Gomega) {
		got := getInitiative(g, ns, "customer-first")
		ready := condition(got.Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready).NotTo(BeNil())
		g.Expect(ready.Status).To(Equal(metav1.ConditionFalse))
		g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonIndicatorNotFound))
		g.Expect(ready.Message).To(ContainSubstring("LeadingIndicator employee-awareness not found in namespace " + ns))
		g.Expect(kstatusOf(g, got)).To(Equal("InProgress"))
	}).WithTimeout(timeout).Should(Succeed())

	create(t, newIndicator(ns, "employee-awareness", "customer-first", "75", sample(3, "80")))
	g.Eventually(func(g Gomega) {
		got := getInitiative(g, ns, "customer-first")
		g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionReady).Status).To(Equal(metav1.ConditionTrue))
		g.Expect(got.Status.Indicators).To(Equal(&v1alpha1.IndicatorSummary{Total: 1, OnTarget: 1}))
		g.Expect(kstatusOf(g, got)).To(Equal("Current"))
	}).WithTimeout(timeout).Should(Succeed())
}

func TestMomentumAtRisk(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	it := newInitiative(ns, "customer-first")
	it.Spec.Stages = []v1alpha1.Stage{{Name: "Initiation", TargetDuration: &metav1.Duration{Duration: 48 * time.Hour}}, {Name: "Reinforcement"}}
	good := newIndicator(ns, "employee-awareness", "customer-first", "75", sample(2, "80"))
	good.Spec.Freshness = &metav1.Duration{Duration: 10 * 24 * time.Hour}
	create(t, it, good)
	startManager(t, ns, clk)

	atRisk := func(g Gomega) *metav1.Condition {
		c := condition(getInitiative(g, ns, "customer-first").Status.Conditions, v1alpha1.ConditionMomentumAtRisk)
		g.Expect(c).NotTo(BeNil())
		return c
	}
	g.Eventually(func(g Gomega) {
		c := atRisk(g)
		g.Expect(c.Status).To(Equal(metav1.ConditionFalse))
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonOnTrack))
	}).WithTimeout(timeout).Should(Succeed())

	bad := newIndicator(ns, "nps", "customer-first", "30", sample(1, "5"))
	bad.Spec.Category = v1alpha1.CategoryCustomerAdvocacy
	create(t, bad)
	g.Eventually(func(g Gomega) {
		c := atRisk(g)
		g.Expect(c.Status).To(Equal(metav1.ConditionTrue))
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonIndicatorOffTarget))
		g.Expect(c.Message).To(ContainSubstring("1 indicator off target: nps"))
	}).WithTimeout(timeout).Should(Succeed())
	update(t, bad, func(o *v1alpha1.LeadingIndicator) { o.Spec.Samples = append(o.Spec.Samples, sample(0, "35")) })

	// Time passes past the stage's target duration and the indicator's freshness.
	clk.Step(11 * 24 * time.Hour)
	update(t, it, func(o *v1alpha1.Initiative) {
		if o.Annotations == nil {
			o.Annotations = map[string]string{}
		}
		o.Annotations["culture.momentum.dev/reconcile"] = "now" // a nudge: the fake clock schedules nothing
	})
	update(t, good, func(o *v1alpha1.LeadingIndicator) {
		o.Annotations = map[string]string{"culture.momentum.dev/reconcile": "now"}
	})
	g.Eventually(func(g Gomega) {
		c := atRisk(g)
		g.Expect(c.Status).To(Equal(metav1.ConditionTrue))
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonIndicatorStale))
		g.Expect(c.Message).To(And(ContainSubstring("stale: employee-awareness"), ContainSubstring("stage Initiation is past its targetDuration 48h0m0s since 2026-11-17T09:00:00Z")))
	}).WithTimeout(timeout).Should(Succeed())
	g.Expect(strings.Count(atRisk(g).Message, ";")).To(Equal(1), "two blockers listed")
}
