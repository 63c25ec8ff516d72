package install_test

import (
	"context"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

const installerImage = "registry.example.com/momentum/manager:v9.9.9"

// `make build-installer IMG=…` writes one manifest that the real API server
// accepts whole, server-side and for real, and whose manager (and the
// delivery Jobs it schedules) run the image given.
func TestInstallYAMLAppliesServerSide(t *testing.T) {
	g := NewWithT(t)
	manifests := buildInstaller(t, installerImage)
	objs := objects(t, manifests)

	kinds := map[string]int{}
	for _, o := range objs {
		kinds[o.GetKind()]++
	}
	g.Expect(kinds).To(Equal(map[string]int{
		"Namespace": 1, "CustomResourceDefinition": 6, "ServiceAccount": 1, "Role": 1, "ClusterRole": 5,
		"RoleBinding": 1, "ClusterRoleBinding": 2, "Service": 1, "Deployment": 1,
	}))

	out := applyServerSide(t, manifests)
	g.Expect(strings.Count(out, "serverside-applied")).To(Equal(len(objs)), out)
	for _, o := range objs {
		live := &unstructured.Unstructured{}
		live.SetGroupVersionKind(o.GroupVersionKind())
		g.Expect(k8s.Get(context.Background(), client.ObjectKeyFromObject(o), live)).To(Succeed(), "%s %s", o.GetKind(), o.GetName())
	}

	deploy := &unstructured.Unstructured{}
	deploy.SetGroupVersionKind(deploymentGVK)
	g.Expect(k8s.Get(context.Background(), client.ObjectKey{Namespace: "momentum-system", Name: "momentum-controller-manager"}, deploy)).To(Succeed())
	container := managerContainer(g, deploy)
	g.Expect(container["image"]).To(Equal(installerImage))
	g.Expect(container["env"]).To(ContainElement(map[string]any{"name": "MOMENTUM_JOB_IMAGE", "value": installerImage}))
}

// managerContainer is the manager container of a Deployment.
func managerContainer(g Gomega, deploy *unstructured.Unstructured) map[string]any {
	containers, found, err := unstructured.NestedSlice(deploy.Object, "spec", "template", "spec", "containers")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(found).To(BeTrue())
	for _, c := range containers {
		if m := c.(map[string]any); m["name"] == "manager" {
			return m
		}
	}
	g.Expect(containers).To(ContainElement(HaveKeyWithValue("name", "manager")))
	return nil
}
