package controllers_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/manager"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers"
	"github.com/momentum-dev/momentum/internal/tenancy"
)

// The manager's outbound exceptions apply only in the namespaces the
// selector picks: the same loopback source is measured in a labelled
// namespace and refused in another, and only the labelled namespace's
// delivery Jobs get the exceptions.
func TestOutboundExceptionsApplyOnlyToSelectedNamespaces(t *testing.T) {
	g := NewWithT(t)
	open, closed := namespace(t), namespace(t)
	update(t, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: open}}, func(o *corev1.Namespace) {
		o.Labels["momentum.culture.dev/outbound"] = "internal"
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"data":{"nps":42}}`))
	}))
	t.Cleanup(srv.Close)
	sel, err := tenancy.ParseSelector("momentum.culture.dev/outbound=internal")
	g.Expect(err).NotTo(HaveOccurred())
	startManager(t, open, clocktesting.NewFakeClock(t0), func(m *manager.Options, o *controllers.Options) {
		m.Cache.DefaultNamespaces[closed] = cache.Config{}
		o.Policy = loopbackPolicy
		o.Jobs.AllowHTTPHosts, o.Jobs.AllowCIDRs = []string{"127.0.0.1"}, []string{"127.0.0.0/8"}
		o.AllowNamespaceSelector = sel
	})
	reminder := weeklyWhy()
	reminder.Stages = nil
	for _, ns := range []string{open, closed} {
		ind := liveIndicator(ns, "nps", srv.URL)
		ind.Spec.FailureLimit = ptr.To[int32](1)
		it := newInitiative(ns, "customer-first")
		it.Spec.Reminders = []v1alpha1.Reminder{reminder}
		create(t, it, ind, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	}

	g.Eventually(func(g Gomega) {
		g.Expect(getIndicator(g, open, "nps").Status.Value).To(HaveValue(Equal(v1alpha1.Decimal("42"))))
		refused := getIndicator(g, closed, "nps")
		g.Expect(refused.Status.Value).To(BeNil())
		// Refused here, but a label on the namespace would allow it: not
		// Stalled, and Ready says so.
		ready := condition(refused.Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready).To(HaveField("Reason", v1alpha1.ReasonSourceInvalid))
		g.Expect(ready.Message).To(ContainSubstring("--allow-namespace-selector"))
		g.Expect(condition(refused.Status.Conditions, v1alpha1.ConditionStalled)).To(BeNil())
		g.Expect(refused.Status.LastFailure).To(ContainSubstring("https"))
	}).WithTimeout(timeout).Should(Succeed())

	args := func(g Gomega, ns string) string {
		return strings.Join(onlyCronJob(g, ns).Spec.JobTemplate.Spec.Template.Spec.Containers[0].Args, " ")
	}
	g.Eventually(func(g Gomega) {
		g.Expect(args(g, open)).To(ContainSubstring("--allow-cidr=127.0.0.0/8"))
		g.Expect(args(g, open)).To(ContainSubstring("--allow-http-host=127.0.0.1"))
		g.Expect(args(g, closed)).NotTo(ContainSubstring("--allow-"))
	}).WithTimeout(timeout).Should(Succeed())
}
