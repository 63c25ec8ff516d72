package controllers_test

import (
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/ledger"
)

// campaignWithLedger starts a manager with cm at the campaign's ledger
// name, creates the campaign, waits until it is scheduled when the ledger
// is readable, and moves the clock past its first spotlight.
func campaignWithLedger(t *testing.T, ns string, cm *corev1.ConfigMap, readable bool) {
	t.Helper()
	cm.Namespace, cm.Name = ns, ledger.Name("RecognitionCampaign", campaignName)
	clk := clocktesting.NewFakeClock(t0)
	startManager(t, ns, clk)
	create(t, cm)
	create(t, append(allHands(ns), newInitiative(ns, "customer-first"), newCampaign(ns))...)
	if readable {
		awaitScheduled(t, ns)
	}
	clk.SetTime(spotlightFriday.Add(time.Second))
	nudgeCampaign(t, ns)
}

// A ledger too large for Momentum to have written (a tenant's forgery) is
// never read in full, nor taken as empty: the campaign stalls, says which
// ConfigMap to fix, and posts nothing.
func TestRecognitionCampaignStallsOnAForgedLedger(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	campaignWithLedger(t, ns, &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{cronjobs.LabelManagedBy: cronjobs.ManagedBy, cronjobs.LabelCampaign: campaignName}},
		Data:       map[string]string{ledger.DataKey: strings.Repeat("nomination/x\n", ledger.MaxBytes/12)},
	}, false)
	g.Eventually(func(g Gomega) {
		st := getCampaign(g, ns).Status
		ready := condition(st.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready).To(HaveField("Reason", v1alpha1.ReasonLedgerInvalid))
		g.Expect(ready.Message).To(ContainSubstring(ledger.Name("RecognitionCampaign", campaignName)))
		g.Expect(condition(st.Conditions, v1alpha1.ConditionStalled)).To(HaveField("Status", metav1.ConditionTrue))
	}).WithTimeout(timeout).Should(Succeed())
	g.Consistently(func(g Gomega) { g.Expect(digestJobs(g, ns)).To(BeEmpty()) }).WithTimeout(time.Second).Should(Succeed())
}

// A ConfigMap someone else made under the ledger's name is never taken
// over: the campaign reports NameConflict and posts nothing without its
// ledger.
func TestRecognitionCampaignLedgerNameTaken(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	campaignWithLedger(t, ns, &corev1.ConfigMap{Data: map[string]string{"app": "config"}}, true)
	g.Eventually(func(g Gomega) {
		ready := condition(getCampaign(g, ns).Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready).To(HaveField("Reason", v1alpha1.ReasonNameConflict))
		g.Expect(ready.Message).To(ContainSubstring("ConfigMap " + ledger.Name("RecognitionCampaign", campaignName)))
	}).WithTimeout(timeout).Should(Succeed())
	g.Expect(digestJobs(g, ns)).To(BeEmpty())
}
