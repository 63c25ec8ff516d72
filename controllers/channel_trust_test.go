package controllers_test

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/manager"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers"
	"github.com/momentum-dev/momentum/controllers/recognitioncampaign"
)

// A Ready Channel looks at its Secret again on its own: revoking the label,
// or deleting the Secret, makes it not Ready and suspends the reminders
// scheduled to it, without anyone touching the Channel.
func TestRevokedChannelSecretSuspendsReminders(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0), func(_ *manager.Options, o *controllers.Options) {
		o.ChannelRecheck = time.Second
	})
	secret := newSecret(ns, "all-hands-webhook", slackAddress)
	reminder := weeklyWhy()
	reminder.Stages = nil // active in every stage
	it := newInitiative(ns, "customer-first")
	it.Spec.Reminders = []v1alpha1.Reminder{reminder}
	create(t, secret, newChannel(ns, "all-hands", "all-hands-webhook"), it)
	active := func(g Gomega) {
		g.Expect(condition(getChannel(g, ns, "all-hands").Status.Conditions, v1alpha1.ConditionReady)).To(HaveField("Status", metav1.ConditionTrue))
		g.Expect(onlyCronJob(g, ns).Spec.Suspend).To(HaveValue(BeFalse()))
	}
	g.Eventually(active).WithTimeout(timeout).Should(Succeed())

	update(t, secret, func(o *corev1.Secret) { o.Labels = nil })
	suspended := func(reason string) func(g Gomega) {
		return func(g Gomega) {
			c := condition(getChannel(g, ns, "all-hands").Status.Conditions, v1alpha1.ConditionReady)
			g.Expect(c).To(HaveField("Reason", reason))
			g.Expect(onlyCronJob(g, ns).Spec.Suspend).To(HaveValue(BeTrue()))
			g.Expect(condition(getInitiative(g, ns, "customer-first").Status.Conditions, v1alpha1.ConditionReady)).
				To(HaveField("Reason", v1alpha1.ReasonChannelNotReady))
		}
	}
	g.Eventually(suspended(v1alpha1.ReasonSecretNotUsable)).WithTimeout(timeout).Should(Succeed())

	// Labelled again it heals (within SecretRecheck, or at once when nudged).
	update(t, secret, func(o *corev1.Secret) { o.Labels = map[string]string{v1alpha1.LabelUsableFor: v1alpha1.PurposeChannel} })
	update(t, getChannel(g, ns, "all-hands"), func(o *v1alpha1.Channel) { o.Annotations = map[string]string{"recheck": "1"} })
	g.Eventually(active).WithTimeout(timeout).Should(Succeed())

	g.Expect(k8s.Delete(context.Background(), secret)).To(Succeed())
	g.Eventually(suspended(v1alpha1.ReasonSecretNotFound)).WithTimeout(timeout).Should(Succeed())
}

// A Ready condition recorded for an older generation of a Channel says
// nothing about its current spec (it may name another Secret): nothing is
// scheduled to it until the Channel controller has checked the new spec.
func TestChannelReadyForAnOlderGenerationIsNotTrusted(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	create(t, allHands(ns)...)
	markChannelReady(t, ns, "all-hands") // no Channel controller runs here
	update(t, getChannel(g, ns, "all-hands"), func(o *v1alpha1.Channel) { o.Spec.SecretRef.Name = "db-creds" })
	ch := getChannel(g, ns, "all-hands")
	g.Expect(ch.Generation).To(BeNumerically(">", ch.Status.ObservedGeneration))

	create(t, newInitiative(ns, "customer-first"), newCampaign(ns))
	clk := clocktesting.NewFakeClock(t0)
	r := &recognitioncampaign.Reconciler{Client: k8s, Clock: clk, Recorder: events.NewFakeRecorder(100), Jobs: testJobs}
	_, err := r.Reconcile(context.Background(), requestFor(newCampaign(ns)))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(condition(getCampaign(g, ns).Status.Conditions, v1alpha1.ConditionReady)).To(HaveField("Reason", v1alpha1.ReasonChannelPending))
	// The spotlight is due, but nothing mounts a Secret nobody checked.
	friday := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	clk.SetTime(friday.Add(time.Second))
	_, err = r.Reconcile(context.Background(), requestFor(newCampaign(ns)))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(digestJobs(g, ns)).To(BeEmpty(), "no spotlight mounts a Secret nobody checked")

	// Checked at the current generation, it is trusted again.
	markChannelReady(t, ns, "all-hands")
	_, err = r.Reconcile(context.Background(), requestFor(newCampaign(ns)))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(digestJobs(g, ns)).To(HaveLen(1))
}
