package controllers_test

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/manager"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/delivery"
	"github.com/momentum-dev/momentum/internal/ledger"
	"github.com/momentum-dev/momentum/internal/testenv"
)

// winJobs lists the attempts of one win, by attempt annotation.
func winJobs(g Gomega, ns, win string) map[string]*batchv1.Job {
	jobs := &batchv1.JobList{}
	g.Expect(k8s.List(context.Background(), jobs, client.InNamespace(ns), client.MatchingLabels{cronjobs.LabelCelebration: "true"})).To(Succeed())
	out := map[string]*batchv1.Job{}
	for i := range jobs.Items {
		if j := &jobs.Items[i]; j.Annotations[cronjobs.AnnotationWin] == win {
			out[j.Annotations[cronjobs.AnnotationAttempt]] = j
		}
	}
	return out
}

func withDeliveries(p delivery.Policy) managerOption {
	return func(_ *manager.Options, o *controllers.Options) { o.Deliveries = p }
}

func celebratingInitiative(t *testing.T, ns string) *v1alpha1.Initiative {
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	it := newInitiative(ns, "customer-first")
	it.Spec.Celebrations = &v1alpha1.Celebrations{Channel: "all-hands"}
	create(t, it)
	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		g.Expect(getInitiative(g, ns, "customer-first").Status.Celebrations).NotTo(BeNil())
	}).WithTimeout(timeout).Should(Succeed())
	update(t, it, func(o *v1alpha1.Initiative) {
		o.Spec.Approvals = []v1alpha1.Approval{{Stage: "Initiation", ApprovedBy: "Dana Lee"}}
	})
	return it
}

// A clear failure is retried after its backoff, up to the limit, and then
// reported; an ambiguous one never; a success lands in the ledger.
func TestCelebrationRetriesUntilTheLimitThenReports(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	startManager(t, ns, clk, withDeliveries(delivery.Policy{Attempts: 2, Backoff: time.Minute}))
	celebratingInitiative(t, ns)
	ctx := context.Background()

	var first *batchv1.Job
	g.Eventually(func(g Gomega) { first = winJobs(g, ns, "stage-Initiation")["1"]; g.Expect(first).NotTo(BeNil()) }).WithTimeout(timeout).Should(Succeed())
	g.Expect(first.Spec.BackoffLimit).To(HaveValue(BeZero()), "a failed pod is never restarted by the Job controller")
	g.Expect(first.Spec.Template.Spec.Containers[0].Env).To(ContainElement(corev1.EnvVar{Name: "MOMENTUM_IDEMPOTENCY_KEY", Value: "celebration/" + ns + "/customer-first/stage-Initiation"}))
	g.Expect(testenv.FinishJob(ctx, k8s, first, 1, clk.Now())).To(Succeed())

	// Within the backoff nothing happens; after it, attempt 2 with the same pod.
	g.Consistently(func(g Gomega) { g.Expect(winJobs(g, ns, "stage-Initiation")).To(HaveLen(1)) }).WithTimeout(time.Second).Should(Succeed())
	clk.Step(time.Minute)
	nudge(t, ns)
	var second *batchv1.Job
	g.Eventually(func(g Gomega) { second = winJobs(g, ns, "stage-Initiation")["2"]; g.Expect(second).NotTo(BeNil()) }).WithTimeout(timeout).Should(Succeed())
	g.Expect(second.Spec.Template.Spec.Containers[0].Env).To(Equal(first.Spec.Template.Spec.Containers[0].Env))

	// The last attempt fails: DeliveryFailing, a Warning, status.celebrations.failed.
	g.Expect(testenv.FinishJob(ctx, k8s, second, 1, clk.Now())).To(Succeed())
	clk.Step(time.Hour)
	nudge(t, ns)
	g.Eventually(func(g Gomega) {
		it := getInitiative(g, ns, "customer-first")
		c := meta.FindStatusCondition(it.Status.Conditions, v1alpha1.ConditionDeliveryFailing)
		g.Expect(c).NotTo(BeNil())
		g.Expect(c.Status).To(Equal(metav1.ConditionTrue))
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonCelebrationFailed))
		g.Expect(it.Status.Celebrations.Failed).To(ConsistOf("stage-Initiation"))
		g.Expect(eventsFor(g, ns, "customer-first", v1alpha1.ReasonCelebrationFailed)).NotTo(BeEmpty())
	}).WithTimeout(timeout).Should(Succeed())
	g.Consistently(func(g Gomega) { g.Expect(winJobs(g, ns, "stage-Initiation")).To(HaveLen(2)) }).WithTimeout(time.Second).Should(Succeed())
}

func TestAmbiguousCelebrationIsNeverSentAgain(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	startManager(t, ns, clk, withDeliveries(delivery.Policy{Attempts: 4, Backoff: time.Minute}))
	celebratingInitiative(t, ns)
	var first *batchv1.Job
	g.Eventually(func(g Gomega) { first = winJobs(g, ns, "stage-Initiation")["1"]; g.Expect(first).NotTo(BeNil()) }).WithTimeout(timeout).Should(Succeed())
	g.Expect(testenv.FinishJob(context.Background(), k8s, first, testenv.ExitAmbiguous, clk.Now())).To(Succeed())
	clk.Step(time.Hour)
	nudge(t, ns)
	g.Eventually(func(g Gomega) {
		g.Expect(getInitiative(g, ns, "customer-first").Status.Celebrations.Failed).To(ConsistOf("stage-Initiation"))
	}).WithTimeout(timeout).Should(Succeed())
	g.Consistently(func(g Gomega) { g.Expect(winJobs(g, ns, "stage-Initiation")).To(HaveLen(1)) }).WithTimeout(time.Second).Should(Succeed())
}

// What was delivered survives deleting and re-applying the initiative: the
// ledger is not owned by it, and a re-created initiative that completes the
// same stage does not celebrate it again.
func TestLedgerSurvivesRecreation(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	startManager(t, ns, clk)
	it := celebratingInitiative(t, ns)
	ctx := context.Background()
	var first *batchv1.Job
	g.Eventually(func(g Gomega) { first = winJobs(g, ns, "stage-Initiation")["1"]; g.Expect(first).NotTo(BeNil()) }).WithTimeout(timeout).Should(Succeed())
	g.Expect(testenv.FinishJob(ctx, k8s, first, 0, clk.Now())).To(Succeed())
	cm := &corev1.ConfigMap{}
	g.Eventually(func(g Gomega) {
		g.Expect(k8s.Get(ctx, key(ns, ledger.Name("Initiative", "customer-first")), cm)).To(Succeed())
		g.Expect(ledger.Keys(cm)).To(ConsistOf("stage-Initiation"))
	}).WithTimeout(timeout).Should(Succeed())
	g.Expect(cm.OwnerReferences).To(BeEmpty())

	// Delete the initiative and its Jobs (as garbage collection would), then
	// re-apply it from Git: it starts afresh and is approved again.
	g.Expect(k8s.Delete(ctx, it)).To(Succeed())
	g.Expect(k8s.Delete(ctx, first, client.PropagationPolicy("Background"))).To(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(winJobs(g, ns, "stage-Initiation")).To(BeEmpty()) }).WithTimeout(timeout).Should(Succeed())
	again := newInitiative(ns, "customer-first")
	again.Spec.Celebrations = &v1alpha1.Celebrations{Channel: "all-hands"}
	create(t, again)
	g.Eventually(func(g Gomega) {
		g.Expect(getInitiative(g, ns, "customer-first").Status.Celebrations).NotTo(BeNil())
	}).WithTimeout(timeout).Should(Succeed())
	update(t, again, func(o *v1alpha1.Initiative) {
		o.Spec.Approvals = []v1alpha1.Approval{{Stage: "Initiation", ApprovedBy: "Dana Lee"}}
	})
	g.Eventually(func(g Gomega) {
		g.Expect(getInitiative(g, ns, "customer-first").Status.Celebrations.Stages).To(ContainElement("Initiation"))
	}).WithTimeout(timeout).Should(Succeed())
	g.Consistently(func(g Gomega) { g.Expect(winJobs(g, ns, "stage-Initiation")).To(BeEmpty()) }).WithTimeout(2 * time.Second).Should(Succeed())
}
