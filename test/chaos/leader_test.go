//go:build chaos

package chaos

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	coordinationv1 "k8s.io/api/coordination/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// Lease timings: controller-runtime's defaults, which the manager keeps.
// A standby tries every retry period with client-go's jitter factor of 1.2,
// so it sees an expired lease at most 2.2 retry periods late.
const (
	leaseDuration = 15 * time.Second
	retryPeriod   = 2 * time.Second
	takeoverBound = leaseDuration + 22*retryPeriod/10
)

var leaseKey = types.NamespacedName{Namespace: "default", Name: "momentum.culture.momentum.dev"}

// holder is the Lease's holder identity; "" when released or absent.
func (h *harness) holder() string {
	l := &coordinationv1.Lease{}
	if h.c.Get(context.Background(), leaseKey, l) != nil {
		return ""
	}
	return ptr.Deref(l.Spec.HolderIdentity, "")
}

// TestLeaderFailover runs two replicas with leader election, SIGKILLs the
// leader and measures how long the other takes to lead (within the lease
// duration plus one jittered retry); then stops the new leader gracefully and
// measures how soon a third replica leads (the lease is released at once).
// A replica writes nothing before it leads.
func TestLeaderFailover(t *testing.T) {
	g := NewWithT(t)
	h := start(t)
	h.channel(t, ns)
	flags := []string{"--leader-elect", "--leader-election-namespace=default"}
	a := h.run(t, "a.log", flags...)
	g.Eventually(h.holder).WithTimeout(time.Minute).ShouldNot(BeEmpty())
	leaderA := h.holder()
	b := h.run(t, "b.log", flags...)
	g.Eventually(func() string { return logOf(t, h, "b.log") }).WithTimeout(time.Minute).Should(ContainSubstring("attempting to acquire leader lease"))

	g.Expect(a.Process.Signal(syscall.SIGKILL)).To(Succeed())
	killed := time.Now()
	_ = a.Wait()
	g.Eventually(func() bool { l := h.holder(); return l != "" && l != leaderA }).WithTimeout(takeoverBound + 5*time.Second).WithPolling(100 * time.Millisecond).Should(BeTrue())
	failover := time.Since(killed)
	g.Expect(failover).To(BeNumerically("<=", takeoverBound), "took over within the lease duration plus one jittered retry")

	// The new leader works: a program becomes Ready.
	it, ind := program(0)
	g.Expect(h.c.Create(context.Background(), it)).To(Succeed())
	g.Expect(h.c.Create(context.Background(), ind)).To(Succeed())
	g.Eventually(func(g Gomega) {
		got := &v1alpha1.Initiative{}
		g.Expect(h.c.Get(context.Background(), types.NamespacedName{Namespace: ns, Name: it.Name}, got)).To(Succeed())
		g.Expect(meta.IsStatusConditionTrue(got.Status.Conditions, v1alpha1.ConditionReady)).To(BeTrue())
	}).WithTimeout(30 * time.Second).Should(Succeed())

	// Graceful stop releases the lease at once: a standby leads in a retry period.
	leaderB := h.holder()
	h.run(t, "c.log", flags...)
	g.Eventually(func() string { return logOf(t, h, "c.log") }).WithTimeout(time.Minute).Should(ContainSubstring("attempting to acquire leader lease"))
	g.Expect(b.Process.Signal(syscall.SIGTERM)).To(Succeed())
	stopped := time.Now()
	g.Eventually(func() bool { l := h.holder(); return l != "" && l != leaderB }).WithTimeout(leaseDuration).WithPolling(100 * time.Millisecond).Should(BeTrue())
	handover := time.Since(stopped)
	g.Expect(handover).To(BeNumerically("<", leaseDuration/2), "the lease was released, not left to expire")
	_ = b.Wait()

	for _, log := range []string{"b.log", "c.log"} {
		g.Expect(writesBeforeLeading(logOf(t, h, log))).To(BeEmpty(), "%s: a standby replica wrote before it led", log)
	}
	report("leader election (lease %s, renew deadline 10s, retry %s): SIGKILLed leader replaced in %.1fs; graceful stop handed over in %.1fs; 0 writes by a standby",
		leaseDuration, retryPeriod, failover.Seconds(), handover.Seconds())
}

func logOf(t *testing.T, h *harness, name string) string {
	data, err := os.ReadFile(filepath.Join(h.dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.ToLower(string(data))
}

// writesBeforeLeading returns the log lines of controller work (workers
// started, objects created, applied, recorded) before the lease was won.
func writesBeforeLeading(log string) []string {
	var out []string
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "successfully acquired lease") {
			return out
		}
		for _, work := range []string{"starting workers", "created ", "applied ", "recorded ", "entered stage"} {
			if strings.Contains(line, work) {
				out = append(out, line)
			}
		}
	}
	return out
}
