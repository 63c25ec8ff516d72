package controllers_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	"sigs.k8s.io/yaml"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers"
	"github.com/momentum-dev/momentum/internal/testenv"
)

// shardKey is the label the sharding examples use.
const shardKey = "sharding.momentum.dev/key"

// watching restricts a test manager to the objects selector matches, as
// --watch-label-selector does.
func watching(t *testing.T, selector string) managerOption {
	sel, err := labels.Parse(selector)
	if err != nil {
		t.Fatal(err)
	}
	return func(o *manager.Options, _ *controllers.Options) { controllers.WatchLabelSelector(o, sel) }
}

// TestShardsSplitTheWork runs a main manager and a shard side by side, as
// config/shard installs them, each with its own clock so the time in a
// condition tells which one wrote it: every object is reconciled by the
// manager its label selects, and never by the other.
func TestShardsSplitTheWork(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	mainClock, shardClock := clocktesting.NewFakeClock(t0), clocktesting.NewFakeClock(t0.Add(time.Hour))
	startManager(t, ns, mainClock, watching(t, shardKey+" notin (shard1)"))
	startManager(t, ns, shardClock, watching(t, shardKey+"=shard1"))

	wantClock := map[string]time.Time{}
	var objs []client.Object
	for i := range 6 {
		it := newInitiative(ns, fmt.Sprintf("program-%d", i))
		ind := newIndicator(ns, it.Name+"-awareness", it.Name, "75", sample(3, "80"))
		at := t0
		if i%2 == 1 {
			it.Labels = map[string]string{shardKey: "shard1"}
			ind.Labels = map[string]string{shardKey: "shard1"}
			at = t0.Add(time.Hour)
		} else if i == 2 {
			it.Labels = map[string]string{shardKey: "main"} // another value: still the main manager's
		}
		wantClock[it.Name], wantClock[ind.Name] = at, at
		objs = append(objs, it, ind)
	}
	create(t, objs...)

	writtenBy := func(g Gomega) map[string]time.Time {
		got := map[string]time.Time{}
		its := &v1alpha1.InitiativeList{}
		g.Expect(k8s.List(t.Context(), its, client.InNamespace(ns))).To(Succeed())
		for _, it := range its.Items {
			if ready := condition(it.Status.Conditions, v1alpha1.ConditionReady); ready != nil {
				got[it.Name] = ready.LastTransitionTime.UTC()
			}
		}
		inds := &v1alpha1.LeadingIndicatorList{}
		g.Expect(k8s.List(t.Context(), inds, client.InNamespace(ns))).To(Succeed())
		for _, ind := range inds.Items {
			if ready := condition(ind.Status.Conditions, v1alpha1.ConditionReady); ready != nil {
				got[ind.Name] = ready.LastTransitionTime.UTC()
			}
		}
		return got
	}
	g.Eventually(writtenBy).WithTimeout(timeout).Should(Equal(wantClock))

	// Both managers see every change to their own objects, and only those.
	for _, o := range objs {
		if ind, ok := o.(*v1alpha1.LeadingIndicator); ok {
			update(t, ind, func(ind *v1alpha1.LeadingIndicator) { ind.Spec.Target.Value = "200" })
		}
	}
	g.Eventually(func(g Gomega) {
		inds := &v1alpha1.LeadingIndicatorList{}
		g.Expect(k8s.List(t.Context(), inds, client.InNamespace(ns))).To(Succeed())
		for _, ind := range inds.Items {
			g.Expect(ind.Status.ObservedGeneration).To(Equal(ind.Generation), ind.Name)
			g.Expect(ind.Status.Health).To(Equal(v1alpha1.HealthOffTarget), ind.Name)
		}
	}).WithTimeout(timeout).Should(Succeed())
	g.Consistently(writtenBy).WithTimeout(2 * time.Second).Should(Equal(wantClock))
}

// config/shard installs a main manager and a shard1 manager whose
// selectors split every object between them, whose Deployments do not
// select each other's pods, and that the real API server accepts.
func TestShardInstallRenders(t *testing.T) {
	g := NewWithT(t)
	kubectl := filepath.Join(env.BinaryAssetsDirectory, "kubectl")
	raw, err := exec.Command(kubectl, "kustomize", filepath.Join(testenv.RepoRoot(), "config", "shard")).Output()
	g.Expect(err).NotTo(HaveOccurred())
	selectors := map[string]labels.Selector{}
	var deployments []appsv1.Deployment
	accounts := map[string]bool{}
	for _, doc := range strings.Split(string(raw), "\n---\n") {
		var tm metav1.TypeMeta
		g.Expect(yaml.Unmarshal([]byte(doc), &tm)).To(Succeed())
		switch tm.Kind {
		case "ServiceAccount":
			sa := corev1.ServiceAccount{}
			g.Expect(yaml.Unmarshal([]byte(doc), &sa)).To(Succeed())
			accounts[sa.Name] = true
		case "Deployment":
			d := appsv1.Deployment{}
			g.Expect(yaml.Unmarshal([]byte(doc), &d)).To(Succeed())
			deployments = append(deployments, d)
			for _, arg := range d.Spec.Template.Spec.Containers[0].Args {
				if v, ok := strings.CutPrefix(arg, "--watch-label-selector="); ok {
					sel, err := labels.Parse(v)
					g.Expect(err).NotTo(HaveOccurred())
					selectors[d.Name] = sel
				}
			}
		}
	}
	g.Expect(deployments).To(HaveLen(2))
	g.Expect(selectors).To(HaveKey("momentum-controller-manager"))
	g.Expect(selectors).To(HaveKey("momentum-controller-manager-shard1"))
	for _, set := range []labels.Set{{}, {shardKey: "shard1"}, {shardKey: "shard2"}, {"team": "a"}} {
		matches := 0
		for _, sel := range selectors {
			if sel.Matches(set) {
				matches++
			}
		}
		g.Expect(matches).To(Equal(1), "labels %v are served by exactly one manager", set)
	}
	for i, d := range deployments {
		other := deployments[1-i]
		sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(sel.Matches(labels.Set(other.Spec.Template.Labels))).To(BeFalse(), "%s selects the pods of %s", d.Name, other.Name)
		g.Expect(accounts).To(HaveKey(d.Spec.Template.Spec.ServiceAccountName))
	}

	kubeconfig, err := testenv.Admin(env, t.TempDir())
	g.Expect(err).NotTo(HaveOccurred())
	err = k8s.Create(t.Context(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "momentum-system"}})
	g.Expect(err == nil || apierrors.IsAlreadyExists(err)).To(BeTrue(), "%v", err)
	apply := exec.Command(kubectl, "apply", "--server-side", "--dry-run=server", "-f", "-")
	apply.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig)
	apply.Stdin = bytes.NewReader(raw)
	out, err := apply.CombinedOutput()
	g.Expect(err).NotTo(HaveOccurred(), "%s", out)
	g.Expect(string(out)).To(ContainSubstring("deployment.apps/momentum-controller-manager-shard1 serverside-applied (server dry run)"))
}

func TestLeaderElectionID(t *testing.T) {
	cases := map[string]struct {
		selector string
		want     string
	}{
		"the main manager, serving all":  {selector: "", want: "momentum.culture.momentum.dev"},
		"a shard":                        {selector: shardKey + "=shard1", want: "momentum.culture.momentum.dev-8e26f0d1"},
		"the main manager of a sharding": {selector: shardKey + " notin (shard1)", want: "momentum.culture.momentum.dev-b6682173"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			got := controllers.LeaderElectionID("momentum.culture.momentum.dev", tc.selector)
			g.Expect(got).To(Equal(tc.want))
			g.Expect(len(got)).To(BeNumerically("<=", 63), "a Lease name")
		})
	}
	g := NewWithT(t)
	g.Expect(controllers.LeaderElectionID("m", "a=1")).NotTo(Equal(controllers.LeaderElectionID("m", "a=2")), "each shard elects its own leader")
	g.Expect(controllers.LeaderElectionID("m", "a=1")).To(MatchRegexp(`^m-[0-9a-f]{8}$`))
}
