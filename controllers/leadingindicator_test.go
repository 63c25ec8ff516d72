package controllers_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestIndicatorHealthTrendAndExactNumbers(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, newInitiative(ns, "customer-first"))

	csat := newIndicator(ns, "csat", "customer-first", "4.5", sample(60, "4.1"), sample(30, "4.2"), sample(2, "4.3"))
	csat.Spec.Category = v1alpha1.CategoryCustomerSatisfaction
	csat.Spec.Target.AtRiskMargin = ptr.To(v1alpha1.Decimal("0.25"))
	complaints := newIndicator(ns, "complaints", "customer-first", "20", sample(20, "31"), sample(10, "26.5"), sample(1, "22"))
	complaints.Spec.Category = v1alpha1.CategoryCustomerFeedback
	complaints.Spec.Target = v1alpha1.Target{Value: "20", Direction: v1alpha1.AtMost, AtRiskMargin: ptr.To(v1alpha1.Decimal("5"))}
	create(t, csat, complaints)

	g.Eventually(func(g Gomega) {
		got := getIndicator(g, ns, "csat")
		g.Expect(got.Status.Value).To(Equal(ptr.To(v1alpha1.Decimal("4.3"))))
		g.Expect(got.Status.Health).To(Equal(v1alpha1.HealthAtRisk))
		g.Expect(got.Status.Trend).To(Equal(v1alpha1.TrendImproving))
		g.Expect(got.Status.Freshness).To(Equal(v1alpha1.Fresh))
		g.Expect(got.Status.History).To(HaveLen(3))
		g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionReady).Message).To(Equal("csat is AtRisk: 4.3 < target 4.5 (trend Improving)"))

		got = getIndicator(g, ns, "complaints")
		g.Expect(got.Status.Health).To(Equal(v1alpha1.HealthAtRisk))
		g.Expect(got.Status.Trend).To(Equal(v1alpha1.TrendImproving), "falling complaints improve an AtMost target")
	}).WithTimeout(timeout).Should(Succeed())

	// What the user wrote is what the API shows: no 4.3000001, no 4300m.
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(v1alpha1.GroupVersion.WithKind("LeadingIndicator"))
	g.Expect(k8s.Get(context.Background(), key(ns, "csat"), u)).To(Succeed())
	raw, err := json.Marshal(u.Object["status"].(map[string]any)["value"])
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(raw)).To(Equal("4.3"))
	raw, _ = json.Marshal(u.Object["status"].(map[string]any)["history"])
	g.Expect(string(raw)).To(ContainSubstring(`"value":4.1}`))

	update(t, csat, func(o *v1alpha1.LeadingIndicator) { o.Spec.Samples = append(o.Spec.Samples, sample(0, "4.6")) })
	g.Eventually(func(g Gomega) {
		g.Expect(getIndicator(g, ns, "csat").Status.Health).To(Equal(v1alpha1.HealthOnTarget))
		g.Expect(eventsFor(g, ns, "csat", "HealthChanged")).To(HaveLen(1))
	}).WithTimeout(timeout).Should(Succeed())
}

func TestIndicatorHistoryIsBoundedAndKeepsRemovedSamples(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, newInitiative(ns, "customer-first"))

	var samples []v1alpha1.Sample
	for d := 30; d >= 1; d-- {
		samples = append(samples, sample(d, "60"))
	}
	ind := newIndicator(ns, "employee-awareness", "customer-first", "75", samples...)
	create(t, ind)
	g.Eventually(func(g Gomega) {
		got := getIndicator(g, ns, "employee-awareness")
		g.Expect(got.Status.History).To(HaveLen(v1alpha1.DefaultHistoryLimit))
		g.Expect(got.Status.History[0].At.Time).To(BeTemporally("==", t0.Add(-24*24*time.Hour)))
	}).WithTimeout(timeout).Should(Succeed())

	// Git keeps only the newest sample now; history keeps what was measured.
	update(t, ind, func(o *v1alpha1.LeadingIndicator) { o.Spec.Samples = []v1alpha1.Sample{sample(0, "70")} })
	g.Eventually(func(g Gomega) {
		got := getIndicator(g, ns, "employee-awareness")
		g.Expect(got.Status.ObservedGeneration).To(Equal(got.Generation))
		g.Expect(got.Status.History).To(HaveLen(v1alpha1.DefaultHistoryLimit))
		g.Expect(got.Status.History[len(got.Status.History)-1].Value).To(Equal(v1alpha1.Decimal("70")))
		g.Expect(got.Status.History[len(got.Status.History)-2].Value).To(Equal(v1alpha1.Decimal("60")))
	}).WithTimeout(timeout).Should(Succeed())
}

func TestIndicatorReferencesHeal(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))

	ind := newIndicator(ns, "loop-closed", "customer-first", "90", sample(1, "85"))
	ind.Spec.Category = v1alpha1.CategoryBehaviorAdoption
	ind.Spec.Behavior = "answer-within-a-day"
	create(t, ind)

	ready := func(g Gomega) *metav1.Condition {
		c := condition(getIndicator(g, ns, "loop-closed").Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(c).NotTo(BeNil())
		return c
	}
	g.Eventually(func(g Gomega) {
		c := ready(g)
		g.Expect(c.Status).To(Equal(metav1.ConditionFalse))
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonInitiativeNotFound))
		g.Expect(c.Message).To(ContainSubstring("Initiative customer-first named in spec.initiativeRef not found"))
		g.Expect(getIndicator(g, ns, "loop-closed").Status.Health).To(Equal(v1alpha1.HealthAtRisk), "measured even while the reference is missing")
	}).WithTimeout(timeout).Should(Succeed())

	it := newInitiative(ns, "customer-first")
	create(t, it)
	g.Eventually(func(g Gomega) {
		c := ready(g)
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonBehaviorNotFound))
		g.Expect(c.Message).To(ContainSubstring("Behavior answer-within-a-day named in spec.behavior is not a behavior of Initiative customer-first"))
	}).WithTimeout(timeout).Should(Succeed())

	update(t, it, func(o *v1alpha1.Initiative) {
		o.Spec.Behaviors = append(o.Spec.Behaviors, v1alpha1.Behavior{Name: "answer-within-a-day"})
	})
	g.Eventually(func(g Gomega) {
		c := ready(g)
		g.Expect(c.Status).To(Equal(metav1.ConditionTrue))
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonMeasured))
	}).WithTimeout(timeout).Should(Succeed())
}

func TestIndicatorGoesStaleAtItsFreshnessLimit(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	create(t, newInitiative(ns, "customer-first"))
	ind := newIndicator(ns, "employee-awareness", "customer-first", "75", sample(10, "80"))
	ind.Spec.Freshness = &metav1.Duration{Duration: 14 * 24 * time.Hour}
	create(t, ind)

	r := newIndicatorReconciler(k8s, clk)
	res, err := r.Reconcile(context.Background(), requestFor(ind))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.RequeueAfter).To(Equal(4*24*time.Hour), "requeued when the newest sample turns stale")
	g.Expect(getIndicator(g, ns, "employee-awareness").Status.Health).To(Equal(v1alpha1.HealthOnTarget))

	clk.Step(4 * 24 * time.Hour)
	res, err = r.Reconcile(context.Background(), requestFor(ind))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.RequeueAfter).To(BeZero())
	got := getIndicator(g, ns, "employee-awareness")
	g.Expect(got.Status.Health).To(Equal(v1alpha1.HealthUnknown))
	g.Expect(got.Status.Freshness).To(Equal(v1alpha1.Stale))
	g.Expect(got.Status.Value).To(Equal(ptr.To(v1alpha1.Decimal("80"))), "the last value stays visible")
}
