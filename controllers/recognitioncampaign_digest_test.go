package controllers_test

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/delivery"
	"github.com/momentum-dev/momentum/internal/testenv"
)

// spotlightFriday is the first spotlight of newCampaign after t0.
var spotlightFriday = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)

// dueSpotlight starts a manager, creates the campaign and moves the clock
// past its first spotlight: its digest Job is created.
func dueSpotlight(t *testing.T, ns string, options ...managerOption) *clocktesting.FakeClock {
	t.Helper()
	g := NewWithT(t)
	clk := clocktesting.NewFakeClock(t0)
	startManager(t, ns, clk, options...)
	create(t, append(allHands(ns), newInitiative(ns, "customer-first"), newCampaign(ns))...)
	awaitScheduled(t, ns)
	clk.SetTime(spotlightFriday.Add(time.Second))
	nudgeCampaign(t, ns)
	g.Eventually(func(g Gomega) { getDigestJob(g, ns, spotlightFriday, 1) }).WithTimeout(timeout).Should(Succeed())
	return clk
}

// A digest that fails clearly is retried with backoff, under a new name and
// the same idempotency key; given up, it is reported (DeliveryFailing, a
// Warning Event, a metric) and its nominations are never posted again.
func TestRecognitionCampaignRetriesThenReportsAFailedDigest(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := dueSpotlight(t, ns, withDeliveries(delivery.Policy{Attempts: 2, Backoff: time.Minute}))
	ctx := context.Background()

	first := getDigestJob(g, ns, spotlightFriday, 1)
	g.Expect(testenv.FinishJob(ctx, k8s, first, 1, clk.Now())).To(Succeed())
	g.Consistently(func(g Gomega) { g.Expect(digestJobs(g, ns)).To(HaveLen(1)) }).WithTimeout(time.Second).Should(Succeed())
	clk.Step(time.Minute)
	nudgeCampaign(t, ns)
	var second *batchv1.Job
	g.Eventually(func(g Gomega) { second = getDigestJob(g, ns, spotlightFriday, 2) }).WithTimeout(timeout).Should(Succeed())
	g.Expect(envOf(second, "MOMENTUM_IDEMPOTENCY_KEY")).To(Equal(envOf(first, "MOMENTUM_IDEMPOTENCY_KEY")))
	g.Expect(second.Annotations).To(HaveKeyWithValue(cronjobs.AnnotationNominations, "ana-followup,sam-renewal"))

	g.Expect(testenv.FinishJob(ctx, k8s, second, 1, clk.Now())).To(Succeed())
	g.Eventually(func(g Gomega) {
		st := getCampaign(g, ns).Status
		failing := condition(st.Conditions, v1alpha1.ConditionDeliveryFailing)
		g.Expect(failing).NotTo(BeNil())
		g.Expect(failing.Status).To(Equal(metav1.ConditionTrue))
		g.Expect(failing.Reason).To(Equal(v1alpha1.ReasonSpotlightFailed))
		g.Expect(st.LastFailureTime).NotTo(BeNil())
		g.Expect(st.SpotlightedNominations).To(BeEmpty(), "nothing was published")
		g.Expect(st.Pending).To(HaveValue(BeZero()), "held: never posted again")
		g.Expect(campaignLedger(g, ns)).To(ConsistOf("gaveup/20261120t1500z", "held/ana-followup", "held/sam-renewal"))
	}).WithTimeout(timeout).Should(Succeed())
	g.Eventually(func(g Gomega) {
		failed := eventsFor(g, ns, campaignName, v1alpha1.ReasonSpotlightFailed)
		g.Expect(failed).To(HaveLen(1))
		g.Expect(failed[0].Type).To(Equal(corev1.EventTypeWarning))
		g.Expect(failed[0].Note).To(ContainSubstring("nominations ana-followup, sam-renewal are not posted again"))
	}).WithTimeout(timeout).Should(Succeed())

	// The next spotlight posts nothing: there is nothing new.
	clk.SetTime(spotlightFriday.Add(7 * 24 * time.Hour))
	nudgeCampaign(t, ns)
	g.Eventually(func(g Gomega) {
		g.Expect(getCampaign(g, ns).Status.LastScheduleTime).To(HaveField("Time", BeTemporally("==", spotlightFriday.Add(7*24*time.Hour))))
	}).WithTimeout(timeout).Should(Succeed())
	g.Expect(digestJobs(g, ns)).To(HaveLen(2))
}

// What a campaign published survives deleting it and applying it again
// (from Git, or a backup without status): the ledger belongs to the
// namespace, so the re-created campaign publishes nothing twice.
func TestRecreatedCampaignPublishesNothingTwice(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := dueSpotlight(t, ns)
	ctx := context.Background()
	g.Expect(testenv.FinishJob(ctx, k8s, getDigestJob(g, ns, spotlightFriday, 1), 0, clk.Now())).To(Succeed())
	g.Eventually(func(g Gomega) {
		g.Expect(getCampaign(g, ns).Status.SpotlightedNominations).To(Equal([]string{"ana-followup", "sam-renewal"}))
	}).WithTimeout(timeout).Should(Succeed())

	g.Expect(k8s.Delete(ctx, getCampaign(g, ns))).To(Succeed())
	g.Eventually(func(g Gomega) {
		g.Expect(apierrors.IsNotFound(k8s.Get(ctx, key(ns, campaignName), &v1alpha1.RecognitionCampaign{}))).To(BeTrue())
	}).WithTimeout(timeout).Should(Succeed())
	create(t, newCampaign(ns))
	g.Eventually(func(g Gomega) {
		st := getCampaign(g, ns).Status
		g.Expect(st.SpotlightedNominations).To(Equal([]string{"ana-followup", "sam-renewal"}), "rebuilt from the ledger")
		g.Expect(st.Pending).To(HaveValue(BeZero()))
	}).WithTimeout(timeout).Should(Succeed())

	next := spotlightFriday.Add(7 * 24 * time.Hour)
	clk.SetTime(next.Add(time.Second))
	nudgeCampaign(t, ns)
	g.Eventually(func(g Gomega) {
		g.Expect(getCampaign(g, ns).Status.LastScheduleTime).To(HaveField("Time", BeTemporally("==", next)))
	}).WithTimeout(timeout).Should(Succeed())
	jobs := digestJobs(g, ns)
	for _, j := range jobs {
		g.Expect(j.Name).NotTo(Equal(digestJobName(next, 1)), "nothing new: nothing posted")
	}
}
