package controllers_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/celebrate"
	"github.com/momentum-dev/momentum/internal/ledger"
	"github.com/momentum-dev/momentum/internal/testenv"
)

func TestQuickWinsAreCelebratedExactlyOnce(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	stop := startManager(t, ns, clk)
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	it := newInitiative(ns, "customer-first")
	it.Spec.Celebrations = &v1alpha1.Celebrations{Channel: "all-hands"}
	ind := newIndicator(ns, "employee-awareness", "customer-first", "75", sample(10, "66"))
	create(t, it, ind)

	// Configured while off target and in the first stage: nothing yet.
	g.Eventually(func(g Gomega) {
		g.Expect(getInitiative(g, ns, "customer-first").Status.Celebrations).NotTo(BeNil())
	}).WithTimeout(timeout).Should(Succeed())
	g.Consistently(func(g Gomega) { g.Expect(celebrationJobs(g, ns)).To(BeEmpty()) }).WithTimeout(time.Second).Should(Succeed())

	// The indicator reaches its target and the first stage is completed.
	update(t, ind, func(o *v1alpha1.LeadingIndicator) { o.Spec.Samples = append(o.Spec.Samples, sample(1, "76")) })
	update(t, it, func(o *v1alpha1.Initiative) {
		o.Spec.Approvals = []v1alpha1.Approval{{Stage: "Initiation", ApprovedBy: "Dana Lee"}}
	})
	g.Eventually(func(g Gomega) {
		wins := celebrationJobs(g, ns)
		g.Expect(wins).To(HaveKey("target-employee-awareness-1"))
		g.Expect(wins).To(HaveKey("stage-Initiation"), "status: %+v", getInitiative(g, ns, "customer-first").Status.Celebrations)
		g.Expect(wins).To(HaveLen(2))
	}).WithTimeout(timeout).Should(Succeed())

	// The Job posts through notify in a restricted pod, owned by the initiative.
	job := &batchv1.Job{}
	g.Expect(k8s.Get(context.Background(), key(ns, celebrationJobs(g, ns)["stage-Initiation"]), job)).To(Succeed())
	g.Expect(job.OwnerReferences).To(ContainElement(HaveField("Name", "customer-first")))
	evaluator, _ := policy.NewEvaluator(policy.DefaultChecks(), nil)
	tmpl := job.Spec.Template
	g.Expect(policy.AggregateCheckResults(evaluator.EvaluatePod(api.LevelVersion{Level: api.LevelRestricted, Version: api.LatestVersion()}, &tmpl.ObjectMeta, &tmpl.Spec)).Allowed).To(BeTrue())
	g.Expect(tmpl.Spec.Containers[0].Env).To(ContainElement(And(HaveField("Name", "MOMENTUM_MESSAGE"), HaveField("Value", ContainSubstring("completed stage Initiation")))))

	// A restart re-reads status: nothing is posted twice.
	stop()
	startManager(t, ns, clk)
	update(t, it, func(o *v1alpha1.Initiative) { o.Annotations = map[string]string{"nudge": "restart"} })
	g.Consistently(func(g Gomega) { g.Expect(celebrationJobs(g, ns)).To(HaveLen(2)) }).WithTimeout(2 * time.Second).Should(Succeed())

	// A dip shorter than the cooldown (24h for Git samples) is no new win...
	update(t, ind, func(o *v1alpha1.LeadingIndicator) { o.Spec.Samples = append(o.Spec.Samples, sample(0, "70")) })
	g.Eventually(func(g Gomega) {
		cs := getInitiative(g, ns, "customer-first").Status.Celebrations
		g.Expect(cs.Indicators).To(ContainElement(HaveField("OffTargetSince", Not(BeNil()))))
	}).WithTimeout(timeout).Should(Succeed())
	clk.Step(2 * time.Hour)
	update(t, ind, func(o *v1alpha1.LeadingIndicator) {
		o.Spec.Samples = append(o.Spec.Samples, v1alpha1.Sample{At: metavNow(clk), Value: "77"})
	})
	g.Consistently(func(g Gomega) { g.Expect(celebrationJobs(g, ns)).To(HaveLen(2)) }).WithTimeout(2 * time.Second).Should(Succeed())

	// ...but after a full day off target, reaching it again is.
	clk.Step(time.Minute)
	update(t, ind, func(o *v1alpha1.LeadingIndicator) {
		o.Spec.Samples = append(o.Spec.Samples, v1alpha1.Sample{At: metavNow(clk), Value: "60"})
	})
	g.Eventually(func(g Gomega) {
		cs := getInitiative(g, ns, "customer-first").Status.Celebrations
		g.Expect(cs.Indicators).To(ContainElement(HaveField("OffTargetSince", Not(BeNil()))))
	}).WithTimeout(timeout).Should(Succeed())
	clk.Step(25 * time.Hour)
	update(t, ind, func(o *v1alpha1.LeadingIndicator) {
		o.Spec.Samples = append(o.Spec.Samples, v1alpha1.Sample{At: metavNow(clk), Value: "80"})
	})
	g.Eventually(func(g Gomega) {
		g.Expect(celebrationJobs(g, ns)).To(HaveKey("target-employee-awareness-2"))
	}).WithTimeout(timeout).Should(Succeed())
	// A win is Celebrated (the Event) once its Job delivered it, not when
	// the Job is created. (The events API folds similar Events into a
	// series, so count Jobs, not Events.)
	g.Consistently(func(g Gomega) {
		g.Expect(eventsFor(g, ns, "customer-first", v1alpha1.EventReasonCelebrated)).To(BeEmpty())
	}).WithTimeout(time.Second).Should(Succeed())
	done := &batchv1.Job{}
	g.Expect(k8s.Get(context.Background(), key(ns, celebrationJobs(g, ns)["stage-Initiation"]), done)).To(Succeed())
	g.Expect(testenv.FinishJob(context.Background(), k8s, done, 0, clk.Now())).To(Succeed())
	g.Eventually(func(g Gomega) {
		g.Expect(eventsFor(g, ns, "customer-first", v1alpha1.EventReasonCelebrated)).To(ConsistOf(HaveField("Note", ContainSubstring("Initiation"))))
	}).WithTimeout(timeout).Should(Succeed())
	g.Expect(celebrationJobs(g, ns)).To(HaveLen(3))
}

// TestManyIndicatorsCannotFreezeAnInitiative: anyone who may create
// indicators could once push status.celebrations past its schema bound,
// after which the API server rejected every status write of the initiative.
func TestManyIndicatorsCannotFreezeAnInitiative(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	it := newInitiative(ns, "customer-first")
	it.Spec.Celebrations = &v1alpha1.Celebrations{Channel: "all-hands"}
	create(t, it)
	g.Eventually(func(g Gomega) {
		g.Expect(getInitiative(g, ns, "customer-first").Status.Celebrations).NotTo(BeNil())
	}).WithTimeout(timeout).Should(Succeed())

	const n = celebrate.MaxIndicators + 1
	for i := range n {
		create(t, newIndicator(ns, fmt.Sprintf("ind-%03d", i), "customer-first", "75", sample(1, "80")))
	}
	g.Eventually(func(g Gomega) {
		in := getInitiative(g, ns, "customer-first")
		g.Expect(in.Status.Indicators).To(HaveField("Total", BeNumerically("==", n)), "status still moves")
		g.Expect(in.Status.Celebrations.Indicators).To(HaveLen(celebrate.MaxIndicators))
		g.Expect(condition(in.Status.Conditions, v1alpha1.ConditionReconciling)).To(BeNil())
	}).WithTimeout(2 * timeout).Should(Succeed())
	g.Eventually(func(g Gomega) {
		g.Expect(celebrationJobs(g, ns)).To(HaveLen(celebrate.MaxIndicators), "every tracked win gets its delivery")
	}).WithTimeout(timeout).Should(Succeed())
}

// An initiative deleted while a celebration Job runs takes the Job with it
// before the ledger records how it ended. The claim the initiative wrote
// before creating the Job outlives both: the re-created initiative holds
// the win as possibly posted and, when the same win comes round again,
// never celebrates it twice, saying so in a Warning Event.
func TestRecreatedInitiativeNeverRecelebratesAWinDeletedMidFlight(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	ctx := context.Background()
	clk := clocktesting.NewFakeClock(t0)
	startManager(t, ns, clk)
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	newIt := func() *v1alpha1.Initiative {
		it := newInitiative(ns, "customer-first")
		it.Spec.Celebrations = &v1alpha1.Celebrations{Channel: "all-hands"}
		return it
	}
	ind := newIndicator(ns, "employee-awareness", "customer-first", "75", sample(10, "66"))
	create(t, newIt(), ind)
	g.Eventually(func(g Gomega) {
		g.Expect(getInitiative(g, ns, "customer-first").Status.Celebrations).NotTo(BeNil())
	}).WithTimeout(timeout).Should(Succeed())
	setSample := func(value string) {
		t.Helper()
		clk.Step(time.Minute) // one sample a time
		update(t, getIndicator(g, ns, "employee-awareness"), func(o *v1alpha1.LeadingIndicator) {
			o.Spec.Samples = append(o.Spec.Samples, v1alpha1.Sample{At: metavNow(clk), Value: v1alpha1.Decimal(value)})
		})
	}
	setSample("76")
	const win = "target-employee-awareness-1"
	g.Eventually(func(g Gomega) { g.Expect(celebrationJobs(g, ns)).To(HaveKey(win)) }).WithTimeout(timeout).Should(Succeed())
	g.Expect(initiativeLedger(g, ns)).To(ConsistOf(HavePrefix("claim/")), "claimed before the Job")

	// Deleted mid-flight; envtest runs no garbage collector: delete the Job as it would.
	g.Expect(k8s.Delete(ctx, getInitiative(g, ns, "customer-first"))).To(Succeed())
	g.Eventually(func(g Gomega) {
		g.Expect(apierrors.IsNotFound(k8s.Get(ctx, key(ns, "customer-first"), &v1alpha1.Initiative{}))).To(BeTrue())
	}).WithTimeout(timeout).Should(Succeed())
	job := &batchv1.Job{}
	g.Expect(k8s.Get(ctx, key(ns, celebrationJobs(g, ns)[win]), job)).To(Succeed())
	g.Expect(k8s.Delete(ctx, job, client.PropagationPolicy(metav1.DeletePropagationBackground))).To(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(celebrationJobs(g, ns)).To(BeEmpty()) }).WithTimeout(timeout).Should(Succeed())

	create(t, newIt())
	g.Eventually(func(g Gomega) {
		g.Expect(initiativeLedger(g, ns)).To(ConsistOf("held/" + win))
		unknown := eventsFor(g, ns, "customer-first", v1alpha1.EventReasonDeliveryOutcomeUnknown)
		g.Expect(unknown).To(HaveLen(1))
		g.Expect(unknown[0].Type).To(Equal(corev1.EventTypeWarning))
		g.Expect(unknown[0].Note).To(ContainSubstring("quick wins " + win + " may have been posted"))
	}).WithTimeout(timeout).Should(Succeed())

	// A full day off target, then on target again: the same win, held.
	setSample("60")
	g.Eventually(func(g Gomega) {
		cs := getInitiative(g, ns, "customer-first").Status.Celebrations
		g.Expect(cs.Indicators).To(ContainElement(HaveField("OffTargetSince", Not(BeNil()))))
	}).WithTimeout(timeout).Should(Succeed())
	clk.Step(25 * time.Hour)
	setSample("80")
	g.Eventually(func(g Gomega) {
		cs := getInitiative(g, ns, "customer-first").Status.Celebrations
		g.Expect(cs.Indicators).To(ContainElement(And(HaveField("Count", int32(1)), HaveField("OffTargetSince", BeNil()))))
	}).WithTimeout(timeout).Should(Succeed())
	g.Consistently(func(g Gomega) { g.Expect(celebrationJobs(g, ns)).To(BeEmpty()) }).WithTimeout(time.Second).Should(Succeed())
}

// initiativeLedger reads the keys of customer-first's ledger.
func initiativeLedger(g Gomega, ns string) []string {
	cm := &corev1.ConfigMap{}
	g.Expect(k8s.Get(context.Background(), key(ns, ledger.Name("Initiative", "customer-first")), cm)).To(Succeed())
	keys, err := ledger.Keys(cm)
	g.Expect(err).NotTo(HaveOccurred())
	return keys
}
