package controllers_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/yaml"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/testenv"
)

// The manager's generated role is least privilege: no wildcards, and Secrets
// may only be read one by one (never listed, watched or cached).
func TestManagerRoleIsLeastPrivilege(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "rbac", "role.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	role := &rbacv1.ClusterRole{}
	if err := yaml.Unmarshal(data, role); err != nil {
		t.Fatal(err)
	}
	if len(role.Rules) == 0 {
		t.Fatal("the role has no rules")
	}
	sawSecrets := false
	for _, r := range role.Rules {
		for _, field := range [][]string{r.APIGroups, r.Resources, r.Verbs, r.ResourceNames, r.NonResourceURLs} {
			if slices.Contains(field, "*") {
				t.Errorf("wildcard in rule %+v", r)
			}
		}
		if slices.Contains(r.Resources, "secrets") {
			sawSecrets = true
			if !slices.Equal(r.Verbs, []string{"get"}) {
				t.Errorf("secrets verbs = %v, want only get", r.Verbs)
			}
		}
		for _, res := range r.Resources {
			// Subresources (owners' finalizers, for blockOwnerDeletion) aside.
			if !strings.Contains(res, "/") && slices.Contains(r.Verbs, "update") && res != "cronjobs" {
				t.Errorf("the manager updates %s; it only needs patch", res)
			}
		}
	}
	if !sawSecrets {
		t.Error("no rule for secrets: Channels cannot be checked")
	}
}

// managerConfig returns credentials of a user that holds only the manager's
// generated role, as the manager's ServiceAccount does in a cluster.
func managerConfig(t *testing.T) *rest.Config {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "rbac", "role.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	role := &rbacv1.ClusterRole{}
	if err := yaml.Unmarshal(data, role); err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("momentum-manager-%d", nsSeq.Add(1))
	role.ObjectMeta = metav1.ObjectMeta{Name: name}
	binding := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: name},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: name}},
	}
	create(t, role, binding)
	user, err := env.AddUser(envtest.User{Name: name}, restCfg)
	if err != nil {
		t.Fatal(err)
	}
	return user.Config()
}

// TestManagerWorksWithItsOwnRole runs the manager with nothing but its
// generated role, on an API server that enforces owner-reference
// permissions (OpenShift's default): a child with blockOwnerDeletion needs
// update on its owner's finalizers.
func TestManagerWorksWithItsOwnRole(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	startManagerAs(t, managerConfig(t), clk, []string{ns})
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	it := newInitiative(ns, "customer-first")
	it.Spec.Reminders = []v1alpha1.Reminder{weeklyWhy()}
	create(t, it, newCampaign(ns))

	g.Eventually(func(g Gomega) {
		list := &batchv1.CronJobList{}
		g.Expect(k8s.List(context.Background(), list, client.InNamespace(ns))).To(Succeed())
		owners := map[string]bool{}
		for _, cj := range list.Items {
			ref := metav1.GetControllerOf(&cj)
			g.Expect(ref).NotTo(BeNil())
			g.Expect(ref.BlockOwnerDeletion).To(HaveValue(BeTrue()))
			owners[ref.Kind] = true
		}
		g.Expect(owners).To(HaveKey("Initiative"), "the reminder's CronJob")
		in := getInitiative(g, ns, "customer-first")
		g.Expect(condition(in.Status.Conditions, v1alpha1.ConditionReconciling)).To(BeNil())
	}).WithTimeout(timeout).Should(Succeed())

	// The spotlight's digest Job, and the ledger of what it delivered.
	friday := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	awaitScheduled(t, ns)
	clk.SetTime(friday.Add(time.Second))
	nudgeCampaign(t, ns)
	var job *batchv1.Job
	g.Eventually(func(g Gomega) {
		job = getDigestJob(g, ns, friday, 1)
		g.Expect(metav1.GetControllerOf(job)).To(HaveField("BlockOwnerDeletion", HaveValue(BeTrue())))
	}).WithTimeout(timeout).Should(Succeed())
	g.Expect(testenv.FinishJob(context.Background(), k8s, job, 0, friday.Add(time.Minute))).To(Succeed())
	g.Eventually(func(g Gomega) {
		g.Expect(campaignLedger(g, ns)).To(ContainElement("digest/20261120t1500z"))
		g.Expect(condition(getCampaign(g, ns).Status.Conditions, v1alpha1.ConditionReady)).To(HaveField("Status", metav1.ConditionTrue))
	}).WithTimeout(timeout).Should(Succeed())
}
