package install_test

import (
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// The chart installs what install.yaml installs: the same objects under the
// same names (release "momentum" in momentum-system), the same CRDs and
// RBAC rules, and a manager Deployment with the same command, flags,
// security context, probes and resources. Only the Namespace (Helm's users
// create it) and labels differ.
func TestChartMatchesInstaller(t *testing.T) {
	g := NewWithT(t)
	installer := objects(t, buildInstaller(t, "ghcr.io/momentum-dev/momentum-manager:v0.1.0"))
	chart := mustRender(t, "momentum", "momentum-system", nil)

	names := func(objs []*unstructured.Unstructured) []string {
		var out []string
		for _, o := range objs {
			if o.GetKind() != "Namespace" {
				out = append(out, o.GetKind()+" "+o.GetNamespace()+"/"+o.GetName())
			}
		}
		return out
	}
	g.Expect(names(chart)).To(ConsistOf(names(installer)))

	for _, want := range installer {
		got := find(chart, want.GetKind(), want.GetName())
		if want.GetKind() == "Namespace" {
			continue
		}
		what := want.GetKind() + " " + want.GetName()
		for _, field := range [][]string{{"spec"}, {"rules"}, {"roleRef"}, {"subjects"}, {"aggregationRule"}} {
			if want.GetKind() == "Deployment" || want.GetKind() == "Service" {
				break // compared below: the chart selects by release too
			}
			w, found, _ := unstructured.NestedFieldNoCopy(want.Object, field...)
			gv, _, _ := unstructured.NestedFieldNoCopy(got.Object, field...)
			if !found {
				g.Expect(gv).To(BeNil(), "%s %v", what, field)
				continue
			}
			g.Expect(gv).To(Equal(w), "%s %v", what, field)
		}
		for k, v := range want.GetLabels() {
			if k != "control-plane" && k != "app.kubernetes.io/name" {
				g.Expect(got.GetLabels()).To(HaveKeyWithValue(k, v), "%s keeps its label %s (e.g. role aggregation)", what, k)
			}
		}
	}

	wantPod := podSpec(g, find(installer, "Deployment", "momentum-controller-manager"))
	gotPod := podSpec(g, find(chart, "Deployment", "momentum-controller-manager"))
	for _, field := range []string{"securityContext", "serviceAccountName", "terminationGracePeriodSeconds"} {
		g.Expect(gotPod[field]).To(Equal(wantPod[field]), "pod %s", field)
	}
	wantC := managerContainer(g, find(installer, "Deployment", "momentum-controller-manager"))
	gotC := managerContainer(g, find(chart, "Deployment", "momentum-controller-manager"))
	for _, field := range []string{"image", "command", "env", "securityContext", "livenessProbe", "readinessProbe", "resources"} {
		g.Expect(gotC[field]).To(Equal(wantC[field]), "manager container %s", field)
	}
	g.Expect(gotC["args"]).To(ConsistOf(wantC["args"].([]any)...))

	wantSvc := find(installer, "Service", "momentum-controller-manager-metrics-service")
	gotSvc := find(chart, "Service", "momentum-controller-manager-metrics-service")
	g.Expect(must(unstructured.NestedSlice(gotSvc.Object, "spec", "ports"))).To(Equal(must(unstructured.NestedSlice(wantSvc.Object, "spec", "ports"))))
}

func podSpec(g Gomega, deploy *unstructured.Unstructured) map[string]any {
	g.Expect(deploy).NotTo(BeNil())
	spec, found, err := unstructured.NestedMap(deploy.Object, "spec", "template", "spec")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(found).To(BeTrue())
	return spec
}

func must[T any](v T, _ bool, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
