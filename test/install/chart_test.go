package install_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/lint"
	"helm.sh/helm/v3/pkg/lint/support"

	"github.com/momentum-dev/momentum/internal/testenv"
)

var deploymentGVK = schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}

func chartDir() string { return filepath.Join(root(), "charts", "momentum") }

func kubeVersion() *chartutil.KubeVersion {
	return &chartutil.KubeVersion{Version: "v" + testenv.KubernetesVersion, Major: "1", Minor: strings.Split(testenv.KubernetesVersion, ".")[1]}
}

// render is `helm template` through Helm's Go SDK: the chart's templates
// with vals, validated against values.schema.json.
func render(release, namespace string, vals map[string]any) (string, error) {
	chrt, err := loader.Load(chartDir())
	if err != nil {
		return "", err
	}
	install := action.NewInstall(&action.Configuration{})
	install.DryRun, install.ClientOnly, install.Replace, install.IncludeCRDs = true, true, true, true
	install.ReleaseName, install.Namespace = release, namespace
	install.KubeVersion = kubeVersion()
	rel, err := install.Run(chrt, vals)
	if err != nil {
		return "", err
	}
	return rel.Manifest, nil
}

func mustRender(t *testing.T, release, namespace string, vals map[string]any) []*unstructured.Unstructured {
	t.Helper()
	manifest, err := render(release, namespace, vals)
	if err != nil {
		t.Fatalf("rendering the chart: %v", err)
	}
	return objects(t, []byte(manifest))
}

func find(objs []*unstructured.Unstructured, kind, name string) *unstructured.Unstructured {
	for _, o := range objs {
		if o.GetKind() == kind && o.GetName() == name {
			return o
		}
	}
	return nil
}

// helm lint, with the default values and with every option turned on,
// finds nothing worse than an INFO.
func TestChartLints(t *testing.T) {
	for name, vals := range map[string]map[string]any{
		"defaults": nil,
		"everything on": {
			"replicas": 2, "metrics": map[string]any{"serviceMonitor": map[string]any{"enabled": true}},
			"outbound": map[string]any{"allowHTTPHosts": []any{"feedback.internal"}, "allowCIDRs": []any{"10.0.0.0/8"}},
		},
	} {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			linter := lint.AllWithKubeVersion(chartDir(), vals, "momentum-system", kubeVersion())
			for _, m := range linter.Messages {
				g.Expect(m.Severity).To(BeNumerically("<", support.WarningSev), "%s", m)
			}
		})
	}
}

// The rendered chart installs into the real API server (server-side
// apply, for real), in a namespace of the user's choice.
func TestChartInstallsIntoTheAPIServer(t *testing.T) {
	g := NewWithT(t)
	g.Expect(k8s.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "culture-ops"}})).To(Succeed())
	manifest, err := render("culture", "culture-ops", map[string]any{"image": map[string]any{"tag": "v9.9.9"}})
	g.Expect(err).NotTo(HaveOccurred())
	objs := objects(t, []byte(manifest))
	out := applyServerSide(t, []byte(manifest))
	g.Expect(strings.Count(out, "serverside-applied")).To(Equal(len(objs)), out)
	for _, o := range objs {
		live := &unstructured.Unstructured{}
		live.SetGroupVersionKind(o.GroupVersionKind())
		g.Expect(k8s.Get(context.Background(), client.ObjectKeyFromObject(o), live)).To(Succeed(), "%s %s", o.GetKind(), o.GetName())
		if o.GetKind() != "CustomResourceDefinition" && o.GetKind() != "ClusterRole" && o.GetKind() != "ClusterRoleBinding" {
			g.Expect(live.GetNamespace()).To(Equal("culture-ops"), "%s %s", o.GetKind(), o.GetName())
		}
	}
	deploy := find(objs, "Deployment", "culture-momentum-controller-manager")
	g.Expect(deploy).NotTo(BeNil())
	g.Expect(managerContainer(g, deploy)["image"]).To(Equal("ghcr.io/momentum-dev/momentum-manager:v9.9.9"))
}

// What each value changes in the rendered chart, and what the schema
// refuses before anything is rendered.
func TestChartValues(t *testing.T) {
	type check func(g Gomega, objs []*unstructured.Unstructured)
	args := func(g Gomega, objs []*unstructured.Unstructured) []any {
		deploy := find(objs, "Deployment", "momentum-controller-manager")
		g.Expect(deploy).NotTo(BeNil())
		return managerContainer(g, deploy)["args"].([]any)
	}
	crdKept := func(objs []*unstructured.Unstructured) bool {
		crd := find(objs, "CustomResourceDefinition", "initiatives.culture.momentum.dev")
		return crd != nil && crd.GetAnnotations()["helm.sh/resource-policy"] == "keep"
	}
	cases := map[string]struct {
		vals  map[string]any
		check check
		// err, when set, is what rendering fails with.
		err string
	}{
		"defaults: leader election, metrics without a ServiceMonitor, CRDs kept on uninstall": {
			check: func(g Gomega, objs []*unstructured.Unstructured) {
				g.Expect(args(g, objs)).To(ContainElements("--leader-elect", "--metrics-bind-address=:8443"))
				g.Expect(find(objs, "Service", "momentum-controller-manager-metrics-service")).NotTo(BeNil())
				g.Expect(find(objs, "ServiceMonitor", "momentum-controller-manager-metrics-monitor")).To(BeNil())
				g.Expect(crdKept(objs)).To(BeTrue())
			},
		},
		"the outbound policy becomes flags": {
			vals: map[string]any{"outbound": map[string]any{"allowHTTPHosts": []any{"a.internal", "b.internal"}, "allowCIDRs": []any{"10.0.0.0/8"}}},
			check: func(g Gomega, objs []*unstructured.Unstructured) {
				g.Expect(args(g, objs)).To(ContainElements("--allow-http-host=a.internal", "--allow-http-host=b.internal", "--allow-cidr=10.0.0.0/8"))
			},
		},
		"a ServiceMonitor on request": {
			vals: map[string]any{"metrics": map[string]any{"serviceMonitor": map[string]any{"enabled": true, "interval": "30s", "labels": map[string]any{"release": "kube-prometheus"}}}},
			check: func(g Gomega, objs []*unstructured.Unstructured) {
				sm := find(objs, "ServiceMonitor", "momentum-controller-manager-metrics-monitor")
				g.Expect(sm).NotTo(BeNil())
				g.Expect(sm.GetLabels()).To(HaveKeyWithValue("release", "kube-prometheus"))
				g.Expect(must(unstructured.NestedSlice(sm.Object, "spec", "endpoints"))).To(ContainElement(HaveKeyWithValue("interval", "30s")))
			},
		},
		"metrics off: no Service, the endpoint disabled": {
			vals: map[string]any{"metrics": map[string]any{"enabled": false}},
			check: func(g Gomega, objs []*unstructured.Unstructured) {
				g.Expect(args(g, objs)).To(ContainElement("--metrics-bind-address=0"))
				g.Expect(find(objs, "Service", "momentum-controller-manager-metrics-service")).To(BeNil())
			},
		},
		"CRDs removed on uninstall when keep is off": {
			vals:  map[string]any{"crds": map[string]any{"keep": false}},
			check: func(g Gomega, objs []*unstructured.Unstructured) { g.Expect(crdKept(objs)).To(BeFalse()) },
		},
		"CRDs managed elsewhere": {
			vals: map[string]any{"crds": map[string]any{"enabled": false}},
			check: func(g Gomega, objs []*unstructured.Unstructured) {
				g.Expect(find(objs, "CustomResourceDefinition", "initiatives.culture.momentum.dev")).To(BeNil())
			},
		},
		"a digest pins the image for the manager and its Jobs": {
			vals: map[string]any{"image": map[string]any{"digest": "sha256:" + strings.Repeat("ab", 32)}},
			check: func(g Gomega, objs []*unstructured.Unstructured) {
				c := managerContainer(g, find(objs, "Deployment", "momentum-controller-manager"))
				want := "ghcr.io/momentum-dev/momentum-manager@sha256:" + strings.Repeat("ab", 32)
				g.Expect(c["image"]).To(Equal(want))
				g.Expect(c["env"]).To(ContainElement(map[string]any{"name": "MOMENTUM_JOB_IMAGE", "value": want}))
			},
		},
		"leader election off": {
			vals: map[string]any{"leaderElection": map[string]any{"enabled": false}},
			check: func(g Gomega, objs []*unstructured.Unstructured) {
				g.Expect(args(g, objs)).NotTo(ContainElement("--leader-elect"))
			},
		},
		"two replicas without leader election": {
			vals: map[string]any{"replicas": 2, "leaderElection": map[string]any{"enabled": false}},
			err:  "replicas > 1 needs leaderElection.enabled",
		},
		"schema: replicas is a number":  {vals: map[string]any{"replicas": "two"}, err: "replicas"},
		"schema: no unknown values":     {vals: map[string]any{"replica": 2}, err: "replica"},
		"schema: a CIDR, not a host":    {vals: map[string]any{"outbound": map[string]any{"allowCIDRs": []any{"example.com"}}}, err: "allowCIDRs"},
		"schema: a known pull policy":   {vals: map[string]any{"image": map[string]any{"pullPolicy": "Sometimes"}}, err: "pullPolicy"},
		"schema: a sha256 digest":       {vals: map[string]any{"image": map[string]any{"digest": "latest"}}, err: "digest"},
		"schema: a Prometheus duration": {vals: map[string]any{"metrics": map[string]any{"serviceMonitor": map[string]any{"interval": "1 minute"}}}, err: "interval"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			manifest, err := render("momentum", "momentum-system", tc.vals)
			if tc.err != "" {
				g.Expect(err).To(MatchError(ContainSubstring(tc.err)))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			tc.check(g, objects(t, []byte(manifest)))
		})
	}
}
