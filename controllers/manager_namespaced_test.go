package controllers_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/yaml"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers"
	"github.com/momentum-dev/momentum/internal/testenv"
)

// managerAccount is the ServiceAccount config/default runs the manager as.
const managerAccount = "system:serviceaccount:momentum-system:momentum-controller-manager"

// namespacedInstall renders config/namespaced and returns it with its
// Roles, RoleBindings, ClusterRoles and the manager's arguments.
type namespacedInstall struct {
	raw          []byte
	roles        []rbacv1.Role
	bindings     []rbacv1.RoleBinding
	clusterRoles []string
	args         []string
}

func renderNamespaced(g Gomega) namespacedInstall {
	kubectl := filepath.Join(env.BinaryAssetsDirectory, "kubectl")
	raw, err := exec.Command(kubectl, "kustomize", filepath.Join(testenv.RepoRoot(), "config", "namespaced")).Output()
	g.Expect(err).NotTo(HaveOccurred())
	in := namespacedInstall{raw: raw}
	for _, doc := range strings.Split(string(raw), "\n---\n") {
		var meta metav1.TypeMeta
		g.Expect(yaml.Unmarshal([]byte(doc), &meta)).To(Succeed())
		switch meta.Kind {
		case "Role":
			r := rbacv1.Role{}
			g.Expect(yaml.Unmarshal([]byte(doc), &r)).To(Succeed())
			in.roles = append(in.roles, r)
		case "RoleBinding":
			b := rbacv1.RoleBinding{}
			g.Expect(yaml.Unmarshal([]byte(doc), &b)).To(Succeed())
			in.bindings = append(in.bindings, b)
		case "ClusterRole", "ClusterRoleBinding":
			m := metav1.PartialObjectMetadata{}
			g.Expect(yaml.Unmarshal([]byte(doc), &m)).To(Succeed())
			in.clusterRoles = append(in.clusterRoles, meta.Kind+"/"+m.Name)
		case "Deployment":
			d := appsv1.Deployment{}
			g.Expect(yaml.Unmarshal([]byte(doc), &d)).To(Succeed())
			in.args = d.Spec.Template.Spec.Containers[0].Args
		}
	}
	return in
}

// The namespaced overlay grants the manager's namespaced rules through a
// Role per namespace, no ClusterRole for them, runs the manager with
// --namespaces, and is accepted by the real API server.
func TestNamespacedInstallRenders(t *testing.T) {
	g := NewWithT(t)
	in := renderNamespaced(g)
	g.Expect(in.clusterRoles).NotTo(ContainElement(HavePrefix("ClusterRole/momentum-manager-role")))
	g.Expect(in.clusterRoles).NotTo(ContainElement("ClusterRoleBinding/momentum-manager-rolebinding"))
	g.Expect(in.args).To(ContainElement("--namespaces=culture"))
	g.Expect(in.roles).To(ContainElement(HaveField("ObjectMeta.Namespace", "culture")))

	// The Role's rules are the generated ClusterRole's namespaced rules.
	generated, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "rbac", "role.yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	cr := rbacv1.ClusterRole{}
	g.Expect(yaml.Unmarshal(bytes.TrimPrefix(generated, []byte("---\n")), &cr)).To(Succeed())
	var namespaced []rbacv1.PolicyRule
	for _, r := range cr.Rules {
		if len(r.Resources) != 1 || r.Resources[0] != "namespaces" {
			namespaced = append(namespaced, r)
		}
	}
	for _, role := range in.roles {
		if role.Name == "momentum-manager-role" {
			g.Expect(role.Rules).To(Equal(namespaced), "config/namespaced/tenant-*.yaml drifted from the +kubebuilder:rbac markers")
		}
	}

	kubeconfig, err := testenv.Admin(env, t.TempDir())
	g.Expect(err).NotTo(HaveOccurred())
	for _, ns := range []string{"momentum-system", "culture"} {
		err := k8s.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
		g.Expect(err == nil || apierrors.IsAlreadyExists(err)).To(BeTrue(), "%v", err)
	}
	apply := exec.Command(filepath.Join(env.BinaryAssetsDirectory, "kubectl"), "apply", "--server-side", "--dry-run=server", "-f", "-")
	apply.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig)
	apply.Stdin = bytes.NewReader(in.raw)
	out, err := apply.CombinedOutput()
	g.Expect(err).NotTo(HaveOccurred(), "%s", out)
	g.Expect(string(out)).To(ContainSubstring("role.rbac.authorization.k8s.io/momentum-manager-role serverside-applied (server dry run)"))
}

// The manager works with only the overlay's Role: run as its ServiceAccount
// (impersonated), watching one namespace, it checks a Channel and schedules
// a reminder there.
func TestManagerWorksWithOnlyTheNamespacedRole(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	in := renderNamespaced(g)
	for _, r := range in.roles {
		r.Namespace, r.ResourceVersion = ns, ""
		create(t, &r)
	}
	for _, b := range in.bindings {
		b.Namespace, b.ResourceVersion = ns, ""
		create(t, &b)
	}
	cfg := rest.CopyConfig(restCfg)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: managerAccount, Groups: []string{"system:serviceaccounts", "system:serviceaccounts:momentum-system", "system:authenticated"}}

	opts := manager.Options{
		Scheme: testenv.Scheme, Metrics: metricsserver.Options{BindAddress: "0"}, HealthProbeBindAddress: "0",
		Controller: config.Controller{SkipNameValidation: ptr.To(true)},
	}
	controllers.ManagerOptions(&opts)
	controllers.WatchNamespaces(&opts, strings.Split(" ,"+ns, ","))
	mgr, err := manager.New(cfg, opts)
	g.Expect(err).NotTo(HaveOccurred())
	ctx, cancel := context.WithCancel(context.Background())
	g.Expect(controllers.Setup(ctx, mgr, controllers.Options{Clock: clocktesting.NewFakeClock(t0), MaxConcurrentReconciles: 2, Jobs: testJobs, Policy: testPolicy})).To(Succeed())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	t.Cleanup(func() { cancel(); g.Expect(<-done).To(Succeed()) })

	reminder := weeklyWhy()
	reminder.Stages = nil
	it := newInitiative(ns, "customer-first")
	it.Spec.Reminders = []v1alpha1.Reminder{reminder}
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"), it)
	g.Eventually(func(g Gomega) {
		g.Expect(condition(getChannel(g, ns, "all-hands").Status.Conditions, v1alpha1.ConditionReady)).To(HaveField("Status", metav1.ConditionTrue))
		g.Expect(onlyCronJob(g, ns).Spec.Suspend).To(HaveValue(BeFalse()))
	}).WithTimeout(timeout).Should(Succeed())

	// The same account may read no Secret elsewhere: the test proves the
	// manager needed nothing beyond the Role.
	as, err := client.New(cfg, client.Options{Scheme: testenv.Scheme})
	g.Expect(err).NotTo(HaveOccurred())
	err = as.Get(context.Background(), key("default", "any"), &corev1.Secret{})
	g.Expect(apierrors.IsForbidden(err)).To(BeTrue(), "want Forbidden, got %v", err)
}

func TestWatchNamespaces(t *testing.T) {
	tests := map[string]struct {
		flag string   // --namespaces
		want []string // the cache's namespaces; none: every namespace
	}{
		"unset: every namespace":  {flag: ""},
		"blanks only":             {flag: " , ,"},
		"one":                     {flag: "culture", want: []string{"culture"}},
		"several, spaced, repeat": {flag: "a, b ,a", want: []string{"a", "b"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			var o manager.Options
			controllers.WatchNamespaces(&o, strings.Split(tt.flag, ","))
			var got []string
			for ns := range o.Cache.DefaultNamespaces {
				got = append(got, ns)
			}
			if tt.want == nil {
				g.Expect(got).To(BeEmpty())
			} else {
				g.Expect(got).To(ConsistOf(tt.want))
			}
		})
	}
}
