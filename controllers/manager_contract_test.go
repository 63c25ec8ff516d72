package controllers_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestNoOpReconcileMakesZeroWrites(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	it := gatedProgram(ns)
	it.Spec.Stages[0].TargetDuration = &metav1.Duration{Duration: 90 * 24 * time.Hour}
	ind := newIndicator(ns, "employee-awareness", "customer-first", "75", sample(20, "58"), sample(5, "66"))
	ind.Spec.Freshness = &metav1.Duration{Duration: 90 * 24 * time.Hour}
	create(t, it, ind)

	var writes atomic.Int32
	c := countingClient(&writes)
	ir, lr := newInitiativeReconciler(c, clk), newIndicatorReconciler(c, clk)
	reconcileAll := func() {
		_, err := lr.Reconcile(context.Background(), requestFor(ind))
		g.Expect(err).NotTo(HaveOccurred())
		_, err = ir.Reconcile(context.Background(), requestFor(it))
		g.Expect(err).NotTo(HaveOccurred())
	}
	reconcileAll()
	g.Expect(writes.Load()).To(Equal(int32(2)), "one status write per object on the first reconcile")
	first := getInitiative(g, ns, "customer-first")

	writes.Store(0)
	ir.Recorder = events.NewFakeRecorder(100)
	clk.Step(time.Hour) // time passes, nothing due changes
	for range 3 {
		reconcileAll()
	}
	g.Expect(writes.Load()).To(BeZero(), "a reconcile that changes nothing writes nothing")
	g.Expect(ir.Recorder.(*events.FakeRecorder).Events).To(BeEmpty(), "and emits no Event")
	second := getInitiative(g, ns, "customer-first")
	g.Expect(second.ResourceVersion).To(Equal(first.ResourceVersion))

	// A real change is one write, and only the changed condition's
	// lastTransitionTime moves.
	readyAt := condition(first.Status.Conditions, v1alpha1.ConditionReady).LastTransitionTime
	update(t, it, func(o *v1alpha1.Initiative) { o.Spec.Stages[0].ExitCriteria.Actions[0].Done = true })
	writes.Store(0)
	reconcileAll()
	g.Expect(writes.Load()).To(Equal(int32(1)))
	third := getInitiative(g, ns, "customer-first")
	g.Expect(condition(third.Status.Conditions, v1alpha1.ConditionReady).LastTransitionTime).To(Equal(readyAt), "Ready stayed True: its transition time stays")
	g.Expect(condition(third.Status.Conditions, v1alpha1.ConditionReady).Message).NotTo(Equal(condition(first.Status.Conditions, v1alpha1.ConditionReady).Message))
}

func TestKstatusCurrentWhenReconciledInProgressAfterSpecChange(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	it := newInitiative(ns, "customer-first")
	ind := newIndicator(ns, "employee-awareness", "customer-first", "75", sample(3, "80"))
	create(t, it, ind)

	// kstatus calls an object without conditions Current too, so wait for
	// Ready before judging.
	g.Eventually(func(g Gomega) {
		it, ind := getInitiative(g, ns, "customer-first"), getIndicator(g, ns, "employee-awareness")
		g.Expect(condition(it.Status.Conditions, v1alpha1.ConditionReady)).NotTo(BeNil())
		g.Expect(condition(ind.Status.Conditions, v1alpha1.ConditionReady)).NotTo(BeNil())
		g.Expect(kstatusOf(g, it)).To(Equal("Current"))
		g.Expect(kstatusOf(g, ind)).To(Equal("Current"))
	}).WithTimeout(timeout).Should(Succeed())

	// The object returned by the update has the new generation and the old
	// observedGeneration: exactly what a GitOps tool sees right after a sync.
	update(t, it, func(o *v1alpha1.Initiative) { o.Spec.Why = "Customers first, always." })
	g.Expect(kstatusOf(g, it)).To(Equal("InProgress"))
	update(t, ind, func(o *v1alpha1.LeadingIndicator) { o.Spec.Target.Value = "70" })
	g.Expect(kstatusOf(g, ind)).To(Equal("InProgress"))

	g.Eventually(func(g Gomega) {
		g.Expect(kstatusOf(g, getInitiative(g, ns, "customer-first"))).To(Equal("Current"))
		g.Expect(kstatusOf(g, getIndicator(g, ns, "employee-awareness"))).To(Equal("Current"))
	}).WithTimeout(timeout).Should(Succeed())
}
