package controllers_test

import (
	"fmt"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/labels"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/manager"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers"
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
