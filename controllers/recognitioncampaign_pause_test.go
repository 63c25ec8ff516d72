package controllers_test

import (
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// A spotlight CronJob whose campaign can no longer be planned is suspended:
// its digest may already be published, and running it again would re-post it.
func TestUnplannableCampaignSuspendsItsSpotlight(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"), newInitiative(ns, "customer-first"))
	campaign := newCampaign(ns)
	create(t, campaign)
	name := spotlightCronJob
	g.Eventually(func(g Gomega) {
		g.Expect(*getCronJob(g, ns, name).Spec.Suspend).To(BeFalse())
	}).WithTimeout(timeout).Should(Succeed())

	// FRY passes the API server's cron shape check but no cron parser.
	update(t, campaign, func(o *v1alpha1.RecognitionCampaign) { o.Spec.Schedule = "0 16 * * FRY" })
	g.Eventually(func(g Gomega) {
		g.Expect(*getCronJob(g, ns, name).Spec.Suspend).To(BeTrue())
		c := getCampaign(g, ns)
		ready := condition(c.Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready).NotTo(BeNil())
		g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonScheduleInvalid))
		g.Expect(ready.Message).To(ContainSubstring("the spotlight CronJob is suspended until then"))
		g.Expect(ready.Status).To(Equal(metav1.ConditionFalse))
	}).WithTimeout(timeout).Should(Succeed())

	update(t, campaign, func(o *v1alpha1.RecognitionCampaign) { o.Spec.Schedule = "0 16 * * FRI" })
	g.Eventually(func(g Gomega) {
		g.Expect(*getCronJob(g, ns, name).Spec.Suspend).To(BeFalse())
	}).WithTimeout(timeout).Should(Succeed())
}
