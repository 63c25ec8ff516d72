package main

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/testenv"
)

// twoStages is an initiative that leaves Initiation when action kickoff is done.
func twoStages(ns string) *v1alpha1.Initiative {
	return &v1alpha1.Initiative{
		ObjectMeta: metav1.ObjectMeta{Name: "program", Namespace: ns},
		Spec: v1alpha1.InitiativeSpec{
			Why:      "Customers first.",
			Sponsors: []v1alpha1.Person{{Name: "Dana Lee"}},
			Stages: []v1alpha1.Stage{
				{Name: "Initiation", ExitCriteria: &v1alpha1.ExitCriteria{Actions: []v1alpha1.Action{{Name: "kickoff"}}}},
				{Name: "Implementation"},
			},
		},
	}
}

func markKickoffDone(g Gomega, ns string) {
	it := &v1alpha1.Initiative{}
	g.Expect(k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: "program"}, it)).To(Succeed())
	it.Spec.Stages[0].ExitCriteria.Actions[0].Done = true
	g.Expect(k8s.Update(context.Background(), it)).To(Succeed())
}

// wait returns 0 as soon as the watched initiative enters the stage.
func TestWaitSucceeds(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t, "")
	startManager(t, ns)
	g.Expect(k8s.Create(context.Background(), twoStages(ns))).To(Succeed())
	g.Expect(plugin(context.Background(), t0, "wait", "program", "-n", ns, "--for", "ready", "--timeout", "30s").code).To(Equal(0))

	done := make(chan result, 1)
	go func() {
		done <- plugin(context.Background(), t0, "wait", "program", "-n", ns, "--for", "stage=Implementation", "--timeout", "60s")
	}()
	markKickoffDone(g, ns)
	var r result
	g.Eventually(done).WithTimeout(60 * time.Second).Should(Receive(&r))
	g.Expect(r.code).To(Equal(0), r.errOut)
	g.Expect(r.out).To(ContainSubstring("initiative program reached stage Implementation"))
	g.Expect(plugin(context.Background(), t0, "wait", "program", "-n", ns, "--for", "gate=kickoff", "--timeout", "5s").code).To(Equal(0))
}

// On timeout, wait exits 1 and names the gates that block.
func TestWaitTimesOutNamingBlockingGates(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t, "")
	startManager(t, ns)
	g.Expect(k8s.Create(context.Background(), twoStages(ns))).To(Succeed())
	r := plugin(context.Background(), t0, "wait", "program", "-n", ns, "--for", "stage=Implementation", "--timeout", "3s")
	g.Expect(r.code).To(Equal(1))
	g.Expect(r.errOut).To(ContainSubstring("timed out after 3s waiting for stage=Implementation of initiative " + ns + "/program (in stage Initiation)"))
	g.Expect(r.errOut).To(ContainSubstring("blocking gates of stage Initiation:\n  Action kickoff: action kickoff is not done yet"))
}

// A Stalled initiative fails the wait at once, long before the timeout.
func TestWaitFailsWhenStalled(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t, "")
	startManager(t, ns)
	it := twoStages(ns)
	g.Expect(k8s.Create(context.Background(), it)).To(Succeed())
	g.Expect(plugin(context.Background(), t0, "wait", "program", "-n", ns, "--for", "stage=Initiation", "--timeout", "30s").code).To(Equal(0))
	// Removing the current stage stalls the initiative (StageNotFound).
	g.Expect(k8s.Get(context.Background(), client.ObjectKeyFromObject(it), it)).To(Succeed())
	it.Spec.Stages = it.Spec.Stages[1:]
	g.Expect(k8s.Update(context.Background(), it)).To(Succeed())

	start := time.Now()
	r := plugin(context.Background(), t0, "wait", "program", "-n", ns, "--for", "stage=Implementation", "--timeout", "5m")
	g.Expect(r.code).To(Equal(1))
	g.Expect(r.errOut).To(ContainSubstring("initiative program is Stalled (StageNotFound)"))
	g.Expect(time.Since(start)).To(BeNumerically("<", time.Minute))
}

// status --watch redraws when the initiative changes, through its watch.
func TestStatusWatchRedrawsOnChange(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t, "")
	startManager(t, ns)
	g.Expect(k8s.Create(context.Background(), twoStages(ns))).To(Succeed())
	g.Expect(plugin(context.Background(), t0, "wait", "program", "-n", ns, "--for", "ready", "--timeout", "30s").code).To(Equal(0))

	ctx, cancel := context.WithCancel(context.Background())
	var out testenv.SyncBuffer
	done := make(chan int, 1)
	go func() {
		a := newApp(ioStreams(&out), func() time.Time { return t0 })
		done <- run(ctx, a, []string{"status", "program", "-n", ns, "--watch", "--kubeconfig", kubeconfig})
	}()
	g.Eventually(out.String).WithTimeout(30 * time.Second).Should(ContainSubstring("Gates of Initiation (0 of 1 met)"))
	markKickoffDone(g, ns)
	g.Eventually(out.String).WithTimeout(30 * time.Second).Should(MatchRegexp(`Stage:\s+Implementation \(2 of 2\)`))
	cancel()
	g.Eventually(done).WithTimeout(10 * time.Second).Should(Receive(Equal(0)))
}
