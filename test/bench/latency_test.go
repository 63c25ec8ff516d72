package bench

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// changeEvery is how often the latency measurement changes an indicator.
const changeEvery = 100 * time.Millisecond

// measureLatency changes one indicator every 100ms for d, round robin over
// the n programs in ns, moving its latest sample above or back below the
// target, and measures the time from each change until its initiative's
// status shows the indicator's gate met (or unmet). It returns the p50 and
// p99 of those times, how many changes were made, and how many were not
// seen within five seconds of the last one.
func measureLatency(ctx context.Context, b *testing.B, c client.WithWatch, ns string, n int, d time.Duration) (p50, p99 time.Duration, changes, missed int) {
	if d == 0 {
		return 0, 0, 0, 0
	}
	type change struct {
		at  time.Time
		met bool
	}
	var mu sync.Mutex
	pending := map[string]change{}
	var seen []time.Duration
	// The watch starts at the current resourceVersion: a watch without one
	// first sends every existing initiative (10,000 at BENCH_N=10000), and
	// the first changes would be seen only after that dump.
	current := &v1alpha1.InitiativeList{}
	if err := c.List(ctx, current, client.InNamespace(ns), client.Limit(1)); err != nil {
		b.Fatal(err)
	}
	w, err := c.Watch(ctx, &v1alpha1.InitiativeList{}, client.InNamespace(ns), &client.ListOptions{Raw: &metav1.ListOptions{ResourceVersion: current.ResourceVersion}})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Stop()
	go func() {
		for ev := range w.ResultChan() {
			it, ok := ev.Object.(*v1alpha1.Initiative)
			if !ok {
				continue
			}
			mu.Lock()
			if p, ok := pending[it.Name]; ok && gateMet(it, it.Name+"-awareness") == p.met {
				seen = append(seen, time.Since(p.at))
				delete(pending, it.Name)
			}
			mu.Unlock()
		}
	}()

	tick := time.NewTicker(changeEvery)
	defer tick.Stop()
	for end := time.Now().Add(d); time.Now().Before(end); changes++ {
		<-tick.C
		name := fmt.Sprintf("program-%d", changes%n)
		met := (changes/n)%2 == 0 // the first round moves every indicator on target
		value := "66.5"
		if met {
			value = "80"
		}
		patch := client.RawPatch(types.JSONPatchType, fmt.Appendf(nil, `[{"op":"replace","path":"/spec/samples/1/value","value":%s}]`, value))
		mu.Lock()
		pending[name] = change{at: time.Now(), met: met}
		mu.Unlock()
		ind := &v1alpha1.LeadingIndicator{}
		ind.Namespace, ind.Name = ns, name+"-awareness"
		if err := c.Patch(ctx, ind, patch); err != nil {
			b.Fatal(err)
		}
	}
	for wait := time.Now().Add(5 * time.Second); time.Now().Before(wait); <-tick.C {
		mu.Lock()
		left := len(pending)
		mu.Unlock()
		if left == 0 {
			break
		}
	}
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(seen)
	return percentile(seen, 0.50), percentile(seen, 0.99), changes, len(pending)
}

// gateMet reports whether the initiative's status shows the indicator's
// gate as met.
func gateMet(it *v1alpha1.Initiative, indicator string) bool {
	for _, g := range it.Status.Gates {
		if g.Kind == v1alpha1.GateIndicator && g.Name == indicator {
			return g.Met
		}
	}
	return false
}

// percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
