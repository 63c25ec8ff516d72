package controllers_test

import (
	"context"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestChannelReadiness(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	ch := newChannel(ns, "all-hands", "all-hands-webhook")
	create(t, ch)
	ready := func(g Gomega) *metav1.Condition {
		c := condition(getChannel(g, ns, "all-hands").Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(c).NotTo(BeNil())
		return c
	}
	g.Eventually(func(g Gomega) {
		c := ready(g)
		g.Expect(c.Status).To(Equal(metav1.ConditionFalse))
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonSecretNotFound))
		g.Expect(c.Message).To(ContainSubstring("Secret all-hands-webhook named in spec.secretRef not found"))
	}).WithTimeout(timeout).Should(Succeed())

	nudge := func(v string) {
		update(t, ch, func(o *v1alpha1.Channel) { o.Annotations = map[string]string{"culture.momentum.dev/reconcile": v} })
	}
	const plain = "http://hooks.slack.example/services/T0/B0/plain-canary"
	secret := newSecret(ns, "all-hands-webhook", plain)
	create(t, secret)
	nudge("1")
	g.Eventually(func(g Gomega) {
		c := ready(g)
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonAddressInvalid))
		g.Expect(c.Message).To(ContainSubstring("https"))
		g.Expect(c.Message).NotTo(ContainSubstring("hooks.slack.example"), "the address is a secret")
	}).WithTimeout(timeout).Should(Succeed())

	for _, blocked := range []string{"https://169.254.169.254/latest/meta-data", "https://10.0.0.7/hook"} {
		update(t, secret, func(o *corev1.Secret) { o.Data[v1alpha1.SecretKeyAddress] = []byte(blocked) })
		nudge(blocked)
		g.Eventually(func(g Gomega) {
			c := ready(g)
			g.Expect(c.Reason).To(Equal(v1alpha1.ReasonAddressInvalid))
			g.Expect(c.Message).NotTo(ContainSubstring(strings.TrimPrefix(blocked, "https://")[:8]))
		}).WithTimeout(timeout).Should(Succeed())
	}

	update(t, secret, func(o *corev1.Secret) { o.Data[v1alpha1.SecretKeyAddress] = []byte(slackAddress) })
	nudge("2")
	g.Eventually(func(g Gomega) {
		c := ready(g)
		g.Expect(c.Status).To(Equal(metav1.ConditionTrue))
		g.Expect(kstatusOf(g, getChannel(g, ns, "all-hands"))).To(Equal("Current"))
	}).WithTimeout(timeout).Should(Succeed())
}

// A Secret whose owner did not opt in is neither checked nor mounted: a user
// who may create Channels cannot have Momentum post someone else's Secret.
func TestUnlabelledSecretIsNotUsed(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	secret := newSecret(ns, "db-creds", slackAddress)
	secret.Labels = nil
	create(t, secret, newChannel(ns, "all-hands", "db-creds"))
	it := newInitiative(ns, "customer-first")
	it.Spec.Reminders = []v1alpha1.Reminder{weeklyWhy()}
	create(t, it)
	g.Eventually(func(g Gomega) {
		c := condition(getChannel(g, ns, "all-hands").Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(c).NotTo(BeNil())
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonSecretNotUsable))
		ready := condition(getInitiative(g, ns, "customer-first").Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready).NotTo(BeNil())
		g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonChannelNotReady))
		g.Expect(eventsFor(g, ns, "customer-first", v1alpha1.ReasonChannelNotReady)).To(HaveLen(1), "one Warning once the Channel was found broken")
	}).WithTimeout(timeout).Should(Succeed())
	err := k8s.Get(context.Background(), key(ns, weeklyWhyCronJob), &batchv1.CronJob{})
	g.Expect(apierrors.IsNotFound(err)).To(BeTrue(), "no CronJob mounts an unlabelled Secret")

	// The owner opts in: the Channel turns Ready and the reminder is scheduled.
	update(t, secret, func(o *corev1.Secret) { o.Labels = map[string]string{v1alpha1.LabelUsableFor: v1alpha1.PurposeChannel} })
	update(t, getChannel(g, ns, "all-hands"), func(o *v1alpha1.Channel) { o.Annotations = map[string]string{"recheck": "1"} })
	g.Eventually(func(g Gomega) {
		getCronJob(g, ns, weeklyWhyCronJob)
		g.Expect(condition(getInitiative(g, ns, "customer-first").Status.Conditions, v1alpha1.ConditionReady).Status).To(Equal(metav1.ConditionTrue))
	}).WithTimeout(timeout).Should(Succeed())
}
