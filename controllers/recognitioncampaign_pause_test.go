package controllers_test

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// A campaign that can no longer be planned posts no spotlight when one is
// due, and says why; fixed, it posts the next.
func TestUnplannableCampaignPostsNoSpotlight(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	startManager(t, ns, clk)
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"), newInitiative(ns, "customer-first"))
	campaign := newCampaign(ns)
	create(t, campaign)
	g.Eventually(func(g Gomega) {
		g.Expect(condition(getCampaign(g, ns).Status.Conditions, v1alpha1.ConditionReady)).To(HaveField("Reason", v1alpha1.ReasonScheduled))
	}).WithTimeout(timeout).Should(Succeed())

	// FRY passes the API server's cron shape check but no cron parser.
	update(t, campaign, func(o *v1alpha1.RecognitionCampaign) { o.Spec.Schedule = "0 16 * * FRY" })
	g.Eventually(func(g Gomega) {
		c := getCampaign(g, ns)
		ready := condition(c.Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready).NotTo(BeNil())
		g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonScheduleInvalid))
		g.Expect(ready.Message).To(ContainSubstring("no spotlight is posted until then"))
		g.Expect(ready.Status).To(Equal(metav1.ConditionFalse))
	}).WithTimeout(timeout).Should(Succeed())
	friday := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	clk.SetTime(friday.Add(time.Minute))
	nudgeCampaign(t, ns)
	g.Consistently(func(g Gomega) { g.Expect(digestJobs(g, ns)).To(BeEmpty()) }).WithTimeout(2 * time.Second).Should(Succeed())

	// Fixed within the hour the spotlight may still be late, it goes out.
	update(t, getCampaign(g, ns), func(o *v1alpha1.RecognitionCampaign) { o.Spec.Schedule = "0 16 * * FRI" })
	g.Eventually(func(g Gomega) {
		g.Expect(digestJobs(g, ns)).To(HaveLen(1))
		g.Expect(getDigestJob(g, ns, friday, 1).Name).NotTo(BeEmpty())
	}).WithTimeout(timeout).Should(Succeed())
}
