package controllers_test

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers/commitment"
)

func newCommitmentReconciler(c client.Client, clk clock.PassiveClock) *commitment.Reconciler {
	return &commitment.Reconciler{Client: c, Clock: clk, Recorder: events.NewFakeRecorder(100)}
}

func getCommitment(g Gomega, ns, name string) *v1alpha1.Commitment {
	obj := &v1alpha1.Commitment{}
	g.Expect(k8s.Get(context.Background(), key(ns, name), obj)).To(Succeed())
	return obj
}

// The index follows the reviews quarter by quarter, and a quarter without a
// review turns ReviewOverdue at the computed moment.
func TestCommitmentIndexAcrossQuarters(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0) // 2026-11-15, in Q4
	create(t, newInitiative(ns, "customer-first"))
	c := newCommitment(ns, "dana", "customer-first", "Dana Lee", reviewOf("2026-Q3", "2026-09-25",
		rated("call-detractors", v1alpha1.OutcomeBehind, 3), rated("coach-team", v1alpha1.OutcomeNotStarted, 0)))
	create(t, c)
	r := newCommitmentReconciler(k8s, clk)

	res, err := r.Reconcile(context.Background(), requestFor(c))
	g.Expect(err).NotTo(HaveOccurred())
	endOfQ4 := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	g.Expect(res.RequeueAfter).To(Equal(endOfQ4.Sub(t0)), "called again when the Q4 review falls due, no polling")
	got := getCommitment(g, ns, "dana")
	// (3·25·1.0 + 2·0) / (3+2) = 15
	g.Expect(got.Status.Index).To(Equal(ptr.To[int32](15)))
	g.Expect(got.Status.Quarter).To(Equal("2026-Q3"))
	g.Expect(got.Status.Trend).To(Equal(v1alpha1.TrendUnknown))
	g.Expect(got.Status.NextReviewDue.Time).To(BeTemporally("==", endOfQ4))
	g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionReviewOverdue).Status).To(Equal(metav1.ConditionFalse))
	g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionReady).Message).To(Equal(
		"Success Index of Dana Lee: 15 in 2026-Q3 (trend Unknown, confidence High)"))
	g.Expect(kstatusOf(g, got)).To(Equal("Current"))

	update(t, c, func(o *v1alpha1.Commitment) {
		o.Spec.Reviews = append(o.Spec.Reviews, reviewOf("2026-Q4", "2026-11-14",
			rated("call-detractors", v1alpha1.OutcomeDone, 4), rated("coach-team", v1alpha1.OutcomeOnTrack, 0)))
	})
	res, err = r.Reconcile(context.Background(), requestFor(c))
	g.Expect(err).NotTo(HaveOccurred())
	got = getCommitment(g, ns, "dana")
	// (3·100·1.1 + 2·75·1.0) / 5 = 96
	g.Expect(got.Status.Index).To(Equal(ptr.To[int32](96)))
	g.Expect(got.Status.Trend).To(Equal(v1alpha1.TrendImproving))
	g.Expect(got.Status.Quarters).To(HaveLen(2))
	endOfQ1 := time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
	g.Expect(got.Status.NextReviewDue.Time).To(BeTemporally("==", endOfQ1))
	g.Expect(res.RequeueAfter).To(Equal(endOfQ4.Sub(t0)), "call-detractors turns overdue after 2026-12-31")

	// A no-op reconcile writes nothing.
	rv := got.ResourceVersion
	_, err = r.Reconcile(context.Background(), requestFor(c))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(getCommitment(g, ns, "dana").ResourceVersion).To(Equal(rv))

	clk.SetTime(endOfQ1.Add(time.Hour)) // Q1 passed without a review
	res, err = r.Reconcile(context.Background(), requestFor(c))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.RequeueAfter).To(BeZero(), "nothing more changes by time alone")
	got = getCommitment(g, ns, "dana")
	overdue := condition(got.Status.Conditions, v1alpha1.ConditionReviewOverdue)
	g.Expect(overdue.Status).To(Equal(metav1.ConditionTrue))
	g.Expect(overdue.Reason).To(Equal(v1alpha1.ReasonReviewDue))
	g.Expect(overdue.Message).To(ContainSubstring("was due by 2027-03-31: Dana Lee and Alex Kim review it"))
	g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionReady).Status).To(Equal(metav1.ConditionTrue))
}

// References that cannot resolve make the commitment not Ready (not
// Stalled: kstatus InProgress, as for an indicator), and heal.
func TestCommitmentReferencesWaitAndHeal(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, newCommitment(ns, "dana", "customer-first", "Dana Lee"))
	g.Eventually(func(g Gomega) {
		got := getCommitment(g, ns, "dana")
		g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionReady)).To(HaveField("Reason", v1alpha1.ReasonInitiativeNotFound))
		g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionStalled)).To(BeNil(), "the initiative is watched: it heals by itself")
		g.Expect(kstatusOf(g, got)).To(Equal("InProgress"))
	}).WithTimeout(timeout).Should(Succeed())

	it := newInitiative(ns, "customer-first")
	it.Spec.Behaviors = []v1alpha1.Behavior{{Name: "listen"}}
	create(t, it)
	g.Eventually(func(g Gomega) {
		ready := condition(getCommitment(g, ns, "dana").Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonBehaviorNotFound))
		g.Expect(ready.Message).To(ContainSubstring("Behavior close-the-loop named in spec.actions[].behavior is not a behavior of Initiative customer-first"))
	}).WithTimeout(timeout).Should(Succeed())

	update(t, it, func(o *v1alpha1.Initiative) {
		o.Spec.Behaviors = append(o.Spec.Behaviors, v1alpha1.Behavior{Name: "close-the-loop"})
	})
	g.Eventually(func(g Gomega) {
		got := getCommitment(g, ns, "dana")
		g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionReady).Status).To(Equal(metav1.ConditionTrue))
		g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionStalled)).To(BeNil())
		g.Expect(got.Status.ObservedGeneration).To(Equal(got.Generation))
	}).WithTimeout(timeout).Should(Succeed())
}
