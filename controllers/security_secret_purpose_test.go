package controllers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// A Channel uses only a Secret labelled for channels; the deprecated
// usable=true label still works for channels, with a Warning; an
// allowed-hosts annotation that does not list the address refuses it.
func TestChannelSecretMustBeLabelledForChannels(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	secret := newSecret(ns, "survey-auth", slackAddress)
	secret.Labels = map[string]string{v1alpha1.LabelUsableFor: v1alpha1.PurposeHTTPHeaders}
	ch := newChannel(ns, "all-hands", "survey-auth")
	create(t, secret, ch)
	ready := func(g Gomega) *metav1.Condition {
		c := condition(getChannel(g, ns, "all-hands").Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(c).NotTo(BeNil())
		return c
	}
	g.Eventually(func(g Gomega) {
		c := ready(g)
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonSecretNotUsable))
		g.Expect(c.Message).To(ContainSubstring("Secret survey-auth is labelled usable-for=http-headers; label it culture.momentum.dev/usable-for=channel"))
	}).WithTimeout(timeout).Should(Succeed())

	nudge := func(v string) {
		update(t, ch, func(o *v1alpha1.Channel) { o.Annotations = map[string]string{"culture.momentum.dev/reconcile": v} })
	}
	update(t, secret, func(o *corev1.Secret) { o.Labels = map[string]string{v1alpha1.LabelUsable: "true"} })
	nudge("legacy")
	g.Eventually(func(g Gomega) {
		c := ready(g)
		g.Expect(c.Status).To(Equal(metav1.ConditionTrue))
		g.Expect(c.Message).To(ContainSubstring("deprecated label culture.momentum.dev/usable=true"))
		g.Expect(eventsFor(g, ns, "all-hands", v1alpha1.EventSecretLabelDeprecated)).To(HaveLen(1))
	}).WithTimeout(timeout).Should(Succeed())

	update(t, secret, func(o *corev1.Secret) {
		o.Labels = map[string]string{v1alpha1.LabelUsableFor: v1alpha1.PurposeChannel}
		o.Annotations = map[string]string{v1alpha1.AnnotationAllowedHosts: "chat.example.com"}
	})
	nudge("hosts")
	g.Eventually(func(g Gomega) {
		c := ready(g)
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonSecretNotUsable))
		g.Expect(c.Message).To(ContainSubstring("allowed-hosts"))
		g.Expect(c.Message).NotTo(ContainSubstring("hooks.slack.example"), "the address is a secret")
	}).WithTimeout(timeout).Should(Succeed())

	update(t, secret, func(o *corev1.Secret) {
		o.Annotations = map[string]string{v1alpha1.AnnotationAllowedHosts: "chat.example.com, hooks.slack.example"}
	})
	nudge("listed")
	g.Eventually(func(g Gomega) {
		c := ready(g)
		g.Expect(c.Status).To(Equal(metav1.ConditionTrue))
		g.Expect(c.Message).NotTo(ContainSubstring("deprecated"))
	}).WithTimeout(timeout).Should(Succeed())
	g.Expect(eventsFor(g, ns, "all-hands", v1alpha1.EventSecretLabelDeprecated)).To(HaveLen(1))
}

// A source cannot send a Channel's webhook Secret anywhere: not as headers,
// not as a bearer token. Nothing is requested; Ready names the Secret.
func TestSourceCannotSendAChannelSecret(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	var hits atomic.Int32
	var auth atomic.Value
	auth.Store("")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		auth.Store(r.Header.Get("X-Api-Key") + r.Header.Get("Authorization"))
		_, _ = w.Write([]byte(`{"data":{"nps":66},"status":"success","data2":{}}`))
	}))
	defer srv.Close()
	webhook := newSecret(ns, "all-hands-webhook", slackAddress)
	webhook.Labels = map[string]string{v1alpha1.LabelUsable: "true"} // a Channel's Secret, as labelled before usable-for
	webhook.Data["X-Api-Key"] = []byte("k3y")
	create(t, webhook, newInitiative(ns, "customer-first"))

	headers := newIndicator(ns, "nps", "customer-first", "70")
	headers.Spec.Source = &v1alpha1.IndicatorSource{HTTP: &v1alpha1.HTTPSource{
		URL: srv.URL + "/nps", JSONPath: "{.data.nps}", HeadersSecretRef: &v1alpha1.LocalObjectReference{Name: "all-hands-webhook"},
	}}
	token := newIndicator(ns, "csat", "customer-first", "4.5")
	token.Spec.Source = &v1alpha1.IndicatorSource{Prometheus: &v1alpha1.PrometheusSource{
		Address: srv.URL, Query: "vector(1)", BearerTokenSecretRef: &v1alpha1.SecretKeySelector{Name: "all-hands-webhook", Key: "address"},
	}}
	create(t, headers, token)

	var writes atomic.Int32
	r := liveReconciler(clocktesting.NewFakeClock(t0), loopbackPolicy, &writes)
	for _, ind := range []*v1alpha1.LeadingIndicator{headers, token} {
		res, err := r.Reconcile(context.Background(), requestFor(ind))
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(res.RequeueAfter).To(Equal(time.Minute), "Secrets are not watched: look again in a minute")
		c := condition(getIndicator(g, ns, ind.Name).Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(c.Status).To(Equal(metav1.ConditionFalse))
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonSecretNotUsable))
		g.Expect(c.Message).To(ContainSubstring("Secret all-hands-webhook is labelled only culture.momentum.dev/usable=true, which is deprecated and accepted for channels only"))
		g.Expect(c.Message).NotTo(ContainSubstring("hooks.slack.example"))
	}
	g.Expect(hits.Load()).To(BeZero(), "nothing was sent")

	// Labelled for headers but only for another host: still refused.
	update(t, webhook, func(o *corev1.Secret) {
		o.Labels = map[string]string{v1alpha1.LabelUsableFor: v1alpha1.PurposeHTTPHeaders}
		o.Annotations = map[string]string{v1alpha1.AnnotationAllowedHosts: "feedback.example.com"}
	})
	_, err := r.Reconcile(context.Background(), requestFor(headers))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(condition(getIndicator(g, ns, "nps").Status.Conditions, v1alpha1.ConditionReady).Message).To(ContainSubstring("allowed-hosts"))
	g.Expect(hits.Load()).To(BeZero())

	// Its owner lets it go to this host: measured, with the header.
	update(t, webhook, func(o *corev1.Secret) {
		o.Annotations = map[string]string{v1alpha1.AnnotationAllowedHosts: "127.0.0.1"}
	})
	_, err = r.Reconcile(context.Background(), requestFor(headers))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(getIndicator(g, ns, "nps").Status.Value).To(HaveValue(Equal(v1alpha1.Decimal("66"))))
	g.Expect(auth.Load()).To(Equal("k3y"))

	// A token use is still refused: the label names one purpose.
	_, err = r.Reconcile(context.Background(), requestFor(token))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(condition(getIndicator(g, ns, "csat").Status.Conditions, v1alpha1.ConditionReady).Message).
		To(ContainSubstring("is labelled usable-for=http-headers; label it culture.momentum.dev/usable-for=prometheus-token"))
	g.Expect(hits.Load()).To(Equal(int32(1)))
}
