package controllers_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	"sigs.k8s.io/yaml"

	"github.com/momentum-dev/momentum/controllers"
	"github.com/momentum-dev/momentum/internal/testenv"
)

// What `make deploy` applies is accepted by the real API server (a
// server-side dry run), and the manager's pod meets the restricted Pod
// Security Standard.
func TestDeployManifests(t *testing.T) {
	g := NewWithT(t)
	kubectl := filepath.Join(env.BinaryAssetsDirectory, "kubectl")
	built, err := exec.Command(kubectl, "kustomize", filepath.Join(testenv.RepoRoot(), "config", "default")).Output()
	g.Expect(err).NotTo(HaveOccurred())

	var manager *appsv1.Deployment
	for _, doc := range strings.Split(string(built), "\n---\n") {
		if strings.Contains(doc, "kind: Deployment") {
			manager = &appsv1.Deployment{}
			g.Expect(yaml.Unmarshal([]byte(doc), manager)).To(Succeed())
		}
	}
	g.Expect(manager).NotTo(BeNil())
	evaluator, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	g.Expect(err).NotTo(HaveOccurred())
	tmpl := manager.Spec.Template
	agg := policy.AggregateCheckResults(evaluator.EvaluatePod(api.LevelVersion{Level: api.LevelRestricted, Version: api.LatestVersion()}, &tmpl.ObjectMeta, &tmpl.Spec))
	g.Expect(agg.Allowed).To(BeTrue(), "%s: %s", agg.ForbiddenReason(), agg.ForbiddenDetail())
	g.Expect(tmpl.Spec.Containers[0].Args).To(ContainElement("--metrics-bind-address=:8443"))
	// The kubelet must wait for the manager's own graceful shutdown (and its
	// release of the leader lease) before it kills the container.
	g.Expect(time.Duration(*tmpl.Spec.TerminationGracePeriodSeconds) * time.Second).To(BeNumerically(">", controllers.GracefulShutdownTimeout+5*time.Second))
	g.Expect(tmpl.Spec.Containers[0].LivenessProbe.HTTPGet.Path).To(Equal("/healthz"), "the probe that includes the stuck-worker check")
	g.Expect(tmpl.Spec.Containers[0].Env).To(ContainElement(corev1.EnvVar{Name: "MOMENTUM_JOB_IMAGE", Value: tmpl.Spec.Containers[0].Image}),
		"delivery Jobs run the manager's image")

	// The namespace must exist for a dry run of the objects in it.
	g.Expect(k8s.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "momentum-system"}})).To(Succeed())
	kubeconfig, err := testenv.Admin(env, t.TempDir())
	g.Expect(err).NotTo(HaveOccurred())
	apply := exec.Command(kubectl, "apply", "--server-side", "--dry-run=server", "-f", "-")
	apply.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig)
	apply.Stdin = bytes.NewReader(built)
	out, err := apply.CombinedOutput()
	g.Expect(err).NotTo(HaveOccurred(), "%s", out)
	g.Expect(string(out)).To(ContainSubstring("deployment.apps/momentum-controller-manager serverside-applied (server dry run)"))
	g.Expect(string(out)).To(ContainSubstring("clusterrole.rbac.authorization.k8s.io/momentum-manager-role serverside-applied (server dry run)"))
}
