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
	"k8s.io/client-go/tools/events"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/tenancy"
)

// A source refused only because its namespace is not selected for the
// manager's outbound exceptions keeps being measured: an unrelated spec
// edit measures at once (Ready speaks of the current generation), and a
// label on the namespace recovers it at the next interval, without any
// change to the indicator.
func TestRefusalANamespaceLabelLiftsRecoversByItself(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(`{"data":{"nps":42}}`))
	}))
	t.Cleanup(srv.Close)
	sel, err := tenancy.ParseSelector("momentum.culture.dev/outbound=internal")
	g.Expect(err).NotTo(HaveOccurred())
	create(t, newInitiative(ns, "customer-first"))
	ind := liveIndicator(ns, "nps", srv.URL)
	ind.Spec.Samples = []v1alpha1.Sample{sample(0, "80")}
	create(t, ind)

	var writes atomic.Int32
	rec := events.NewFakeRecorder(10)
	reconcileAt := func(at time.Time) time.Duration {
		r := liveReconciler(clocktesting.NewFakeClock(at), loopbackPolicy, &writes)
		r.Exceptions = tenancy.Exceptions{Selector: sel, Namespaces: k8s}
		r.Recorder = rec
		res, err := r.Reconcile(context.Background(), requestFor(ind))
		g.Expect(err).NotTo(HaveOccurred())
		return res.RequeueAfter
	}

	after := reconcileAt(t0)
	got := getIndicator(g, ns, "nps")
	ready := condition(got.Status.Conditions, v1alpha1.ConditionReady)
	g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonSourceInvalid))
	g.Expect(ready.Message).To(ContainSubstring("namespace " + ns + " is not selected by the manager's --allow-namespace-selector"))
	g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionStalled)).To(BeNil(), "a label, not the spec, fixes it")
	g.Expect(got.Status.Health).To(Equal(v1alpha1.HealthUnknown), "old samples on target do not keep gates passing")
	g.Expect(after).To(BeNumerically(">", 0))
	g.Expect(after).To(BeNumerically("<=", 2*time.Minute), "measured again at the interval")

	// An unrelated edit: measured at once, so Ready never reports the old
	// samples as Measured, and the refusal is not announced a second time.
	update(t, ind, func(o *v1alpha1.LeadingIndicator) { o.Spec.Description = "Net promoter score, weekly survey" })
	reconcileAt(t0.Add(time.Second))
	got = getIndicator(g, ns, "nps")
	ready = condition(got.Status.Conditions, v1alpha1.ConditionReady)
	g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonSourceInvalid))
	g.Expect(ready.ObservedGeneration).To(Equal(got.Generation))
	g.Expect(got.Status.LastAttemptTime.Time).To(BeTemporally("==", t0.Add(time.Second)))
	g.Expect(got.Status.ConsecutiveFailures).To(Equal(int32(2)))
	g.Expect(rec.Events).To(HaveLen(1), "one Warning for the refusal, none for the edit")

	// The namespace is labelled: the next measurement succeeds.
	update(t, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, func(o *corev1.Namespace) {
		o.Labels["momentum.culture.dev/outbound"] = "internal"
	})
	reconcileAt(t0.Add(time.Hour))
	got = getIndicator(g, ns, "nps")
	g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionReady)).To(HaveField("Reason", v1alpha1.ReasonMeasured))
	g.Expect(got.Status.Value).To(HaveValue(Equal(v1alpha1.Decimal("42"))))
	g.Expect(hits.Load()).To(Equal(int32(1)))
}
