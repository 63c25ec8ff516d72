package controllers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/outbound"
	"github.com/momentum-dev/momentum/internal/testenv"
)

func TestHTTPSourceMeasuresCountsFailuresAndRecovers(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	var status atomic.Int32
	status.Store(http.StatusOK)
	var value atomic.Value
	value.Store("66.5")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if code := int(status.Load()); code != http.StatusOK {
			http.Error(w, "canary-body-7c1 is down", code)
			return
		}
		_, _ = fmt.Fprintf(w, `{"data":{"nps":%s}}`, value.Load())
	}))
	defer srv.Close()

	create(t, newInitiative(ns, "customer-first"))
	ind := newIndicator(ns, "nps", "customer-first", "70")
	ind.Spec.Category = v1alpha1.CategoryCustomerAdvocacy
	ind.Spec.HistoryLimit = ptr.To[int32](3)
	ind.Spec.Source = &v1alpha1.IndicatorSource{HTTP: &v1alpha1.HTTPSource{
		URL: srv.URL + "/api/nps", JSONPath: "{.data.nps}", Interval: &metav1.Duration{Duration: time.Minute},
	}}
	create(t, ind)

	clk := clocktesting.NewFakeClock(t0)
	var writes atomic.Int32
	r := liveReconciler(clk, loopbackPolicy, &writes)
	reconcile := func() time.Duration {
		res, err := r.Reconcile(context.Background(), requestFor(ind))
		g.Expect(err).NotTo(HaveOccurred())
		return res.RequeueAfter
	}

	// First reconcile measures at once and asks to come back one interval
	// (plus at most 10% jitter) later.
	requeue := reconcile()
	g.Expect(requeue).To(And(BeNumerically(">=", time.Minute), BeNumerically("<", 66*time.Second)))
	got := getIndicator(g, ns, "nps")
	g.Expect(got.Status.Value).To(HaveValue(Equal(v1alpha1.Decimal("66.5"))))
	g.Expect(got.Status.Health).To(Equal(v1alpha1.HealthAtRisk))
	g.Expect(writes.Load()).To(Equal(int32(1)))

	// Not due: no request, no write.
	writes.Store(0)
	clk.Step(30 * time.Second)
	reconcile()
	g.Expect(writes.Load()).To(BeZero())

	// Due with the same value: one write, history grows (the time advanced).
	clk.Step(requeue)
	reconcile()
	g.Expect(writes.Load()).To(Equal(int32(1)))
	g.Expect(getIndicator(g, ns, "nps").Status.History).To(HaveLen(2))

	// Three failures in a row: SourceUnavailable, health Unknown, a sanitized message.
	status.Store(http.StatusServiceUnavailable)
	for i := 1; i <= 3; i++ {
		clk.Step(2 * time.Minute)
		reconcile()
		got = getIndicator(g, ns, "nps")
		g.Expect(got.Status.ConsecutiveFailures).To(Equal(int32(i)))
	}
	ready := condition(got.Status.Conditions, v1alpha1.ConditionReady)
	g.Expect(ready.Status).To(Equal(metav1.ConditionFalse))
	g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonSourceUnavailable))
	g.Expect(ready.Message).To(ContainSubstring("failed 3 times in a row (last: http source: server answered 503"))
	g.Expect(ready.Message).NotTo(ContainSubstring("canary-body-7c1"))
	g.Expect(got.Status.Health).To(Equal(v1alpha1.HealthUnknown))

	// It recovers by itself, and history stays within historyLimit.
	status.Store(http.StatusOK)
	value.Store("71")
	for range 2 {
		clk.Step(2 * time.Minute)
		reconcile()
	}
	got = getIndicator(g, ns, "nps")
	g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionReady).Status).To(Equal(metav1.ConditionTrue))
	g.Expect(got.Status.Health).To(Equal(v1alpha1.HealthOnTarget))
	g.Expect(got.Status.ConsecutiveFailures).To(BeZero())
	g.Expect(got.Status.History).To(HaveLen(3))
	g.Expect(got.Status.History[2].Value).To(Equal(v1alpha1.Decimal("71")))
}

func TestPrometheusSourceAgainstARealServer(t *testing.T) {
	g := NewWithT(t)
	prom, err := testenv.StartPrometheus(t.TempDir())
	g.Expect(err).NotTo(HaveOccurred())
	defer prom.Stop()

	ns := namespace(t)
	create(t, newInitiative(ns, "customer-first"))
	ind := newIndicator(ns, "csat", "customer-first", "4.5")
	ind.Spec.Category = v1alpha1.CategoryCustomerSatisfaction
	ind.Spec.Target.AtRiskMargin = ptr.To(v1alpha1.Decimal("0.25"))
	ind.Spec.Source = &v1alpha1.IndicatorSource{Prometheus: &v1alpha1.PrometheusSource{
		Address: prom.URL, Query: "scalar(vector(4.3))",
	}}
	create(t, ind)

	var writes atomic.Int32
	r := liveReconciler(clocktesting.NewFakeClock(t0), loopbackPolicy, &writes)
	_, err = r.Reconcile(context.Background(), requestFor(ind))
	g.Expect(err).NotTo(HaveOccurred())
	got := getIndicator(g, ns, "csat")
	g.Expect(got.Status.Value).To(HaveValue(Equal(v1alpha1.Decimal("4.3"))))
	g.Expect(got.Status.Health).To(Equal(v1alpha1.HealthAtRisk))

	// The default policy (https only, no loopback) refuses the same server.
	// The spec alone does not decide that (--allow-http-host and
	// --allow-cidr could allow it), so the indicator is not Stalled: Ready
	// says what to change, health turns Unknown at once (old history must
	// not keep gates passing), and measuring goes on at the interval.
	strict := liveReconciler(clocktesting.NewFakeClock(t0.Add(time.Hour)), outbound.Policy{}, &writes)
	res, err := strict.Reconcile(context.Background(), requestFor(ind))
	g.Expect(err).NotTo(HaveOccurred())
	got = getIndicator(g, ns, "csat")
	ready := condition(got.Status.Conditions, v1alpha1.ConditionReady)
	g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonSourceInvalid))
	g.Expect(ready.Message).To(ContainSubstring("--allow-http-host"))
	g.Expect(ready.Message).NotTo(ContainSubstring("fix spec.source"))
	g.Expect(ready.Message).NotTo(ContainSubstring(prom.URL[len("http://"):]), "the address stays out of status")
	g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionStalled)).To(BeNil())
	g.Expect(got.Status.Health).To(Equal(v1alpha1.HealthUnknown))
	g.Expect(got.Status.ConsecutiveFailures).To(Equal(int32(1)))
	g.Expect(res.RequeueAfter).To(BeNumerically(">", 0), "measured again at the interval")

	// A reconcile before the next attempt keeps the verdict: no request
	// since the refusal says otherwise.
	_, err = liveReconciler(clocktesting.NewFakeClock(t0.Add(time.Hour+time.Second)), outbound.Policy{}, &writes).Reconcile(context.Background(), requestFor(ind))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(condition(getIndicator(g, ns, "csat").Status.Conditions, v1alpha1.ConditionReady)).To(HaveField("Reason", v1alpha1.ReasonSourceInvalid))

	// The flags allow it again (a restart): the next measurement recovers.
	_, err = liveReconciler(clocktesting.NewFakeClock(t0.Add(2*time.Hour)), loopbackPolicy, &writes).Reconcile(context.Background(), requestFor(ind))
	g.Expect(err).NotTo(HaveOccurred())
	got = getIndicator(g, ns, "csat")
	g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionReady)).To(HaveField("Reason", v1alpha1.ReasonMeasured))
	g.Expect(got.Status.Health).To(Equal(v1alpha1.HealthAtRisk))
}

func TestInvalidSourceIsStalledWithoutRequests(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { hits.Add(1) }))
	defer srv.Close()
	create(t, newInitiative(ns, "customer-first"))
	ind := newIndicator(ns, "nps", "customer-first", "70")
	ind.Spec.Source = &v1alpha1.IndicatorSource{Prometheus: &v1alpha1.PrometheusSource{Address: srv.URL, Query: "sum(rate(nps[5m]"}}
	create(t, ind)
	var writes atomic.Int32
	res, err := liveReconciler(clocktesting.NewFakeClock(t0), loopbackPolicy, &writes).Reconcile(context.Background(), requestFor(ind))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.RequeueAfter).To(BeZero(), "nothing to wait for until the spec changes")
	got := getIndicator(g, ns, "nps")
	g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionReady)).To(HaveField("Reason", v1alpha1.ReasonSourceInvalid))
	g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionStalled)).To(HaveField("Status", metav1.ConditionTrue))
	g.Expect(kstatusOf(g, got)).To(Equal("Failed"))
	g.Expect(hits.Load()).To(BeZero())
}

func TestRecognitionSourceFollowsItsCampaign(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, newInitiative(ns, "customer-first"))
	nom := func(name, by string) v1alpha1.Nomination {
		return v1alpha1.Nomination{Name: name, Nominee: "Sam Ortiz", NominatedBy: by, Behavior: "close-the-loop", Story: "Called the customer the same day.", At: "2026-11-10"}
	}
	campaign := &v1alpha1.RecognitionCampaign{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "customer-heroes"},
		Spec: v1alpha1.RecognitionCampaignSpec{
			InitiativeRef: v1alpha1.LocalObjectReference{Name: "customer-first"},
			Schedule:      "0 16 * * FRI", Channel: "all-hands", Behaviors: []string{"close-the-loop"},
			Nominations: []v1alpha1.Nomination{nom("a", "Dana Lee"), nom("b", "Alex Kim")},
		},
	}
	ind := newIndicator(ns, "leadership-involvement", "customer-first", "30")
	ind.Spec.Category = v1alpha1.CategoryLeadershipInvolvement
	ind.Spec.Source = &v1alpha1.IndicatorSource{Recognition: &v1alpha1.RecognitionSource{
		CampaignRef: v1alpha1.LocalObjectReference{Name: "customer-heroes"}, Measure: v1alpha1.MeasureLeadershipShare,
	}}
	create(t, campaign, ind)
	g.Eventually(func(g Gomega) {
		g.Expect(getIndicator(g, ns, "leadership-involvement").Status.Value).To(HaveValue(Equal(v1alpha1.Decimal("50"))))
	}).WithTimeout(timeout).Should(Succeed())

	// A new peer nomination changes the share; the indicator follows at once,
	// not one interval later.
	update(t, campaign, func(o *v1alpha1.RecognitionCampaign) {
		o.Spec.Nominations = append(o.Spec.Nominations, nom("c", "Alex Kim"), nom("d", "Lee Chen"))
	})
	g.Eventually(func(g Gomega) {
		got := getIndicator(g, ns, "leadership-involvement")
		g.Expect(got.Status.Value).To(HaveValue(Equal(v1alpha1.Decimal("25"))))
		g.Expect(got.Status.Health).To(Equal(v1alpha1.HealthAtRisk))
	}).WithTimeout(timeout).Should(Succeed())
}
