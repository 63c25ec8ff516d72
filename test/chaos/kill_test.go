//go:build chaos

package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/ledger"
)

const ns = "chaos"

// stages are the default four; each is left through an approval.
var stages = []string{"Initiation", "Implementation", "Embedding", "Reinforcement"}

// program is initiative i, celebrating to the receiver, with one indicator.
func program(i int) (*v1alpha1.Initiative, *v1alpha1.LeadingIndicator) {
	name := fmt.Sprintf("program-%d", i)
	it := &v1alpha1.Initiative{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.InitiativeSpec{
			Why: "Every customer should feel we are on their side.", Sponsors: []v1alpha1.Person{{Name: "Dana Lee"}},
			Celebrations: &v1alpha1.Celebrations{Channel: "hooks"}, Behaviors: []v1alpha1.Behavior{{Name: behavior}},
		},
	}
	ind := &v1alpha1.LeadingIndicator{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name + "-nps"},
		Spec: v1alpha1.LeadingIndicatorSpec{
			InitiativeRef: v1alpha1.LocalObjectReference{Name: name}, Category: v1alpha1.CategoryAwareness,
			Target:  v1alpha1.Target{Value: "75"},
			Samples: []v1alpha1.Sample{{At: metav1.NewTime(time.Now().Add(-time.Hour).Truncate(time.Second)), Value: "60"}},
		},
	}
	return it, ind
}

// load advances programs (an approval of the current stage) and moves
// indicators on and off target until ctx ends, counting each program's
// approvals in approvals; with noms, it nominates someone in one of the
// campaigns every 2 s.
func load(ctx context.Context, c client.Client, n int, approvals []int, mu *sync.Mutex, noms *nominations) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for step := 0; ; step++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if noms != nil && step%40 == 39 {
			noms.add(ctx, c)
			continue
		}
		i := rand.IntN(n)
		name := fmt.Sprintf("program-%d", i)
		if step%2 == 0 {
			mu.Lock()
			k := approvals[i]
			mu.Unlock()
			if k >= len(stages)-1 {
				continue
			}
			it := &v1alpha1.Initiative{}
			if c.Get(ctx, types.NamespacedName{Namespace: ns, Name: name}, it) != nil {
				continue
			}
			it.Spec.Approvals = append(it.Spec.Approvals, v1alpha1.Approval{Stage: stages[k], ApprovedBy: "Dana Lee"})
			if c.Update(ctx, it) == nil {
				mu.Lock()
				approvals[i]++
				mu.Unlock()
			}
			continue
		}
		ind := &v1alpha1.LeadingIndicator{}
		if c.Get(ctx, types.NamespacedName{Namespace: ns, Name: name + "-nps"}, ind) != nil || len(ind.Spec.Samples) >= 20 {
			continue
		}
		value := "80"
		if len(ind.Spec.Samples)%2 == 0 {
			value = "60"
		}
		ind.Spec.Samples = append(ind.Spec.Samples, v1alpha1.Sample{At: metav1.NewTime(time.Now().Truncate(time.Second).Add(time.Duration(len(ind.Spec.Samples)) * time.Second)), Value: v1alpha1.Decimal(value)})
		_ = c.Update(ctx, ind)
	}
}

// TestKillUnderLoad kills the manager with SIGKILL CHAOS_KILLS times
// (default 200), at random 0.1–3 s apart, while CHAOS_PROGRAMS programs
// (default 100) advance, their indicators move on and off target, and
// nominations are added to campaigns that spotlight every minute; then
// checks that no stage entry was lost or duplicated, no Job was created
// twice, no celebration or digest was POSTed twice, every nomination was
// published in exactly one digest, and every program converged within 30 s
// of the last kill.
func TestKillUnderLoad(t *testing.T) {
	g := NewWithT(t)
	kills, n := envInt(t, "CHAOS_KILLS", 200), envInt(t, "CHAOS_PROGRAMS", 100)
	h := start(t)
	h.channel(t, ns)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := range n {
		it, ind := program(i)
		g.Expect(h.c.Create(ctx, it)).To(Succeed())
		g.Expect(h.c.Create(ctx, ind)).To(Succeed())
	}
	for i := range min(campaignCount, n) {
		g.Expect(h.c.Create(ctx, campaign(i))).To(Succeed())
	}
	noms := &nominations{added: map[string][]string{}}
	// Celebrations start from what is there when they are configured: let
	// every program record that before the load begins.
	first := h.run(t, "manager.log")
	awaitCelebrationsRecorded(g, h)
	g.Expect(first.Process.Signal(syscall.SIGKILL)).To(Succeed())
	_ = first.Wait()
	runner := &jobRunner{h: h, uids: map[string]map[types.UID]bool{}}
	go runner.loop(ctx, t)
	approvals, mu := make([]int, n), &sync.Mutex{}
	loadCtx, stopLoad := context.WithCancel(ctx)
	loadDone := make(chan struct{})
	go func() { load(loadCtx, h.c, n, approvals, mu, noms); close(loadDone) }()

	began := time.Now()
	for range kills {
		cmd := h.run(t, "manager.log")
		<-time.After(time.Duration(100+rand.IntN(2900)) * time.Millisecond)
		g.Expect(cmd.Process.Signal(syscall.SIGKILL)).To(Succeed())
		_ = cmd.Wait()
	}
	stopLoad()
	<-loadDone
	lastKill := time.Now()
	h.run(t, "manager.log")

	g.Eventually(func(g Gomega) { converged(g, h.c, n, approvals) }).WithTimeout(30 * time.Second).WithPolling(500 * time.Millisecond).Should(Succeed())
	convergence := time.Since(lastKill)
	// Every celebration Job has run and every success reached the ledger.
	g.Eventually(func(g Gomega) { delivered(g, h, n) }).WithTimeout(30 * time.Second).WithPolling(500 * time.Millisecond).Should(Succeed())
	// Every nomination went out in one digest (the last wait for the next minute's).
	var nominated, digests int
	g.Eventually(func(g Gomega) { nominated, digests = spotlightedOnce(g, h, noms) }).
		WithTimeout(3 * time.Minute).WithPolling(time.Second).Should(Succeed())

	posts, dup := h.recv.posts(), 0
	for _, c := range posts {
		dup += c - 1
	}
	runs, recreated := runner.counts()
	report("kill -9: %d kills survived over %s, %d programs, %d nominations in %d digests (each once), %d Jobs run, %d deliveries, %d duplicate POSTs, %d Jobs created twice, converged %.1fs after the last kill",
		kills, lastKill.Sub(began).Round(time.Second), n, nominated, digests, runs, len(posts), dup, recreated, convergence.Seconds())
	g.Expect(dup).To(BeZero(), "POSTs per key: %v", posts)
	g.Expect(recreated).To(BeZero())
}

// awaitCelebrationsRecorded waits until every program recorded where its
// celebrations start.
func awaitCelebrationsRecorded(g Gomega, h *harness) {
	g.Eventually(func(g Gomega) {
		list := &v1alpha1.InitiativeList{}
		g.Expect(h.c.List(context.Background(), list, client.InNamespace(ns))).To(Succeed())
		for _, it := range list.Items {
			g.Expect(it.Status.Celebrations).NotTo(BeNil(), it.Name)
		}
	}).WithTimeout(time.Minute).Should(Succeed())
}

// converged checks every program reached the stage its approvals allow,
// with each stage once in history, in order, and is Ready for its generation.
func converged(g Gomega, c client.Client, n int, approvals []int) {
	for i := range n {
		it := &v1alpha1.Initiative{}
		g.Expect(c.Get(context.Background(), types.NamespacedName{Namespace: ns, Name: fmt.Sprintf("program-%d", i)}, it)).To(Succeed())
		want := stages[:approvals[i]+1]
		got := make([]string, 0, len(it.Status.History))
		for _, h := range it.Status.History {
			got = append(got, h.Name)
		}
		g.Expect(got).To(Equal(want), "history of %s", it.Name)
		g.Expect(it.Status.ObservedGeneration).To(Equal(it.Generation), it.Name)
		g.Expect(meta.IsStatusConditionTrue(it.Status.Conditions, v1alpha1.ConditionReady)).To(BeTrue(), it.Name)
	}
}

// delivered checks that each program's stage wins were each POSTed once,
// under their key, and recorded in its ledger; and every Job finished.
func delivered(g Gomega, h *harness, n int) {
	ctx := context.Background()
	jobs := &batchv1.JobList{}
	g.Expect(h.c.List(ctx, jobs, client.InNamespace(ns), client.MatchingLabels{cronjobs.LabelCelebration: "true"})).To(Succeed())
	for _, j := range jobs.Items {
		g.Expect(j.Status.Conditions).NotTo(BeEmpty(), "Job %s has not run yet", j.Name)
	}
	posts := h.recv.posts()
	for i := range n {
		name := fmt.Sprintf("program-%d", i)
		it := &v1alpha1.Initiative{}
		g.Expect(h.c.Get(ctx, types.NamespacedName{Namespace: ns, Name: name}, it)).To(Succeed())
		cm := &corev1.ConfigMap{}
		g.Expect(h.c.Get(ctx, types.NamespacedName{Namespace: ns, Name: ledger.Name("Initiative", name)}, cm)).To(Or(Succeed(), Satisfy(func(error) bool { return len(it.Status.History) == 1 })))
		keys, err := ledger.Keys(cm)
		g.Expect(err).NotTo(HaveOccurred())
		for _, st := range it.Status.History {
			if st.ExitedAt == nil {
				continue
			}
			win := "stage-" + st.Name
			g.Expect(posts).To(HaveKeyWithValue("celebration/"+ns+"/"+name+"/"+win, 1), "%s %s", name, win)
			g.Expect(slices.Contains(keys, win)).To(BeTrue(), "ledger of %s lacks %s", name, win)
		}
	}
}
