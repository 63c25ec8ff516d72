package controllers_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	"sigs.k8s.io/controller-runtime/pkg/metrics/filters"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers"
	"github.com/momentum-dev/momentum/internal/metrics"
	"github.com/momentum-dev/momentum/internal/testenv"
)

// The manager's metrics endpoint, served as in production (HTTPS behind
// Kubernetes authentication and RBAC), reports a known program exactly, and
// only to a caller allowed to get /metrics.
func TestMetricsScrapeSecureEndpoint(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	url := startManagerWithMetrics(t, ns, clocktesting.NewFakeClock(t0))

	allowed := serviceAccountToken(t, ns, "prometheus", true)
	denied := serviceAccountToken(t, ns, "nosy", false)

	understanding := newIndicator(ns, "customer-understanding", "customer-first", "75", sample(2, "60"))
	understanding.Spec.Category = v1alpha1.CategoryUnderstanding
	create(t, newInitiative(ns, "customer-first"),
		newIndicator(ns, "employee-awareness", "customer-first", "75", sample(3, "80")),
		understanding)

	// Wait for the program's status, so the scrape below has something to match.
	var ini *v1alpha1.Initiative
	g.Eventually(func(g Gomega) {
		ini = getInitiative(g, ns, "customer-first")
		risk := condition(ini.Status.Conditions, v1alpha1.ConditionMomentumAtRisk)
		g.Expect(risk).NotTo(BeNil())
		g.Expect(risk.Reason).To(Equal(v1alpha1.ReasonIndicatorOffTarget))
		g.Expect(ini.Status.Progress).NotTo(BeNil())
		g.Expect(getIndicator(g, ns, "customer-understanding").Status.Health).To(Equal(v1alpha1.HealthOffTarget))
	}).WithTimeout(timeout).Should(Succeed())

	aware := model.LabelSet{"namespace": model.LabelValue(ns), "initiative": "customer-first", "indicator": "employee-awareness", "category": "Awareness"}
	under := model.LabelSet{"namespace": model.LabelValue(ns), "initiative": "customer-first", "indicator": "customer-understanding", "category": "Understanding"}
	initiative := model.LabelSet{"namespace": model.LabelValue(ns), "initiative": "customer-first"}
	want := map[string]float64{
		seriesKey("momentum_indicator_value", aware):                                         80,
		seriesKey("momentum_indicator_target", aware):                                        75,
		seriesKey("momentum_indicator_health", aware, "health", "OnTarget"):                  1,
		seriesKey("momentum_indicator_health", aware, "health", "AtRisk"):                    0,
		seriesKey("momentum_indicator_health", aware, "health", "OffTarget"):                 0,
		seriesKey("momentum_indicator_health", aware, "health", "Unknown"):                   0,
		seriesKey("momentum_indicator_stale", aware):                                         0,
		seriesKey("momentum_indicator_source_failures", aware):                               0,
		seriesKey("momentum_indicator_measured_timestamp_seconds", aware):                    float64(t0.Add(-3 * 24 * time.Hour).Unix()),
		seriesKey("momentum_indicator_value", under):                                         60,
		seriesKey("momentum_indicator_health", under, "health", "OffTarget"):                 1,
		seriesKey("momentum_indicator_health", under, "health", "OnTarget"):                  0,
		seriesKey("momentum_initiative_stage", initiative, "stage", "Initiation"):            1,
		seriesKey("momentum_initiative_stage", initiative, "stage", "Embedding"):             0,
		seriesKey("momentum_initiative_stage_index", initiative):                             0,
		seriesKey("momentum_initiative_progress", initiative):                                float64(*ini.Status.Progress),
		seriesKey("momentum_initiative_at_risk", initiative, "reason", "IndicatorOffTarget"): 1,
		seriesKey("momentum_initiative_stage_entered_timestamp_seconds", initiative, "stage", "Initiation"): float64(
			ini.Status.History[0].EnteredAt.Unix()),
	}
	g.Eventually(func(g Gomega) {
		got := scrape(g, url, allowed, http.StatusOK)
		for series, v := range want {
			g.Expect(got).To(HaveKeyWithValue(series, v), series)
		}
		// The registry's operational metrics are in the same response.
		g.Expect(got).To(HaveKey(HavePrefix("controller_runtime_reconcile_total{")))
		g.Expect(got).To(HaveKey(HavePrefix("workqueue_depth{")))
	}).WithTimeout(time.Minute).Should(Succeed())

	// Deleted objects vanish from the next scrape.
	g.Expect(k8s.Delete(context.Background(), understanding)).To(Succeed())
	g.Eventually(func(g Gomega) {
		got := scrape(g, url, allowed, http.StatusOK)
		g.Expect(got).NotTo(HaveKey(seriesKey("momentum_indicator_value", under)))
		g.Expect(got).To(HaveKey(seriesKey("momentum_indicator_value", aware)))
	}).WithTimeout(timeout).Should(Succeed())

	// Without a token the caller is not authenticated; an account without
	// the metrics-reader role is authenticated but not authorized.
	scrape(g, url, "", http.StatusUnauthorized)
	scrape(g, url, denied, http.StatusForbidden)
}

// seriesKey writes a series as scrape keys it: name{labels}, with extra
// label name/value pairs added.
func seriesKey(name string, set model.LabelSet, extra ...string) string {
	set = set.Clone()
	for i := 0; i+1 < len(extra); i += 2 {
		set[model.LabelName(extra[i])] = model.LabelValue(extra[i+1])
	}
	return name + set.String()
}

// startManagerWithMetrics runs the controllers as startManager does, but
// with the metrics endpoint of cmd/manager on a free loopback port, and
// returns its URL.
func startManagerWithMetrics(t *testing.T, ns string, clk *clocktesting.FakeClock) string {
	t.Helper()
	addr, err := testenv.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	startManager(t, ns, clk, func(o *manager.Options, _ *controllers.Options) {
		o.Metrics = metricsserver.Options{
			BindAddress:    addr,
			SecureServing:  true,
			FilterProvider: filters.WithAuthenticationAndAuthorization,
		}
		metrics.Serve(&o.Metrics)
	})
	return "https://" + addr + "/metrics"
}

// serviceAccountToken creates a ServiceAccount, bound to a role that may get
// /metrics when canRead, and returns a token of it from the TokenRequest API.
func serviceAccountToken(t *testing.T, ns, name string, canRead bool) string {
	t.Helper()
	ctx := context.Background()
	create(t, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}})
	if canRead {
		role := &rbacv1.ClusterRole{
			ObjectMeta: metav1.ObjectMeta{Name: ns + "-metrics-reader"},
			Rules:      []rbacv1.PolicyRule{{NonResourceURLs: []string{"/metrics"}, Verbs: []string{"get"}}},
		}
		binding := &rbacv1.ClusterRoleBinding{
			ObjectMeta: metav1.ObjectMeta{Name: ns + "-metrics-reader"},
			RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role.Name},
			Subjects:   []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Namespace: ns, Name: name}},
		}
		create(t, role, binding)
		// Cluster-scoped: they outlive the test's namespace unless deleted.
		t.Cleanup(func() {
			_ = k8s.Delete(ctx, binding)
			_ = k8s.Delete(ctx, role)
		})
	}
	cs, err := kubernetes.NewForConfig(restCfg)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := cs.CoreV1().ServiceAccounts(ns).CreateToken(ctx, name, &authenticationv1.TokenRequest{
		Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: ptr.To[int64](600)},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("requesting a token for %s: %v", name, err)
	}
	return tr.Status.Token
}

// insecure skips verification of the endpoint's self-signed certificate;
// it is only ever used on loopback.
var insecure = &http.Client{
	Timeout:   10 * time.Second,
	Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
}

// scrape gets url with token (none when empty), expects status, and on 200
// returns every series, keyed as seriesKey writes them, with its value.
func scrape(g Gomega, url, token string, status int) map[string]float64 {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	g.Expect(err).NotTo(HaveOccurred())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := insecure.Do(req)
	g.Expect(err).NotTo(HaveOccurred())
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(resp.StatusCode).To(Equal(status), string(body))
	if status != http.StatusOK {
		return nil
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	g.Expect(err).NotTo(HaveOccurred())
	out := map[string]float64{}
	for name, f := range families {
		for _, m := range f.Metric {
			out[name+series(m)] = value(m)
		}
	}
	return out
}

func series(m *dto.Metric) string {
	set := model.LabelSet{}
	for _, lp := range m.Label {
		set[model.LabelName(lp.GetName())] = model.LabelValue(lp.GetValue())
	}
	return set.String()
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Untyped != nil:
		return m.Untyped.GetValue()
	}
	return 0
}
