package bench

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// settle is how long the growth benchmark lets the manager rest before it
// reads its resident memory at each step.
const settle = 10 * time.Second

// BenchmarkMemoryGrowth grows one manager's load in steps (BENCH_GROWTH,
// default 1000,3000,10000 programs of three objects each) and reports its
// resident memory once each step is Ready and has rested, and the slope:
// the memory each further object costs between the first and last step.
func BenchmarkMemoryGrowth(b *testing.B) {
	steps := growthSteps(b)
	h := startHarness(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		ns := fmt.Sprintf("growth-%d", i)
		create(ctx, b, h.c, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
		m := startManager(b, h, fmt.Sprintf("growth-manager-%d", i))
		done := 0
		var first, last int64
		for _, step := range steps {
			ready := watchReady(ctx, b, h.c, ns, 3*step)
			from := done
			parallel(step-done, func(j int) error { return createAll(ctx, h.c, program(ns, from+j)) }, b)
			select {
			case <-ready:
			case <-time.After(20 * time.Minute):
				b.Fatalf("programs %d..%d not Ready within 20 minutes (see %s)", done, step, m.log)
			}
			<-time.After(settle)
			rss, peak := m.rss()
			fmt.Printf("%d programs (%d objects): RSS %.1f MiB, peak %.1f MiB (GOMEMLIMIT %s)\n", step, 3*step, float64(rss)/(1<<20), float64(peak)/(1<<20), memoryLimit())
			if done == 0 {
				first = rss
			}
			last, done = rss, step
		}
		m.profile(b, "heap", "?gc=1")
		if len(steps) > 1 {
			slope := float64(last-first) / float64(3*(steps[len(steps)-1]-steps[0]))
			b.ReportMetric(slope/1024, "KiB/object")
			fmt.Printf("slope from %d to %d programs: %.2f KiB per object\n", steps[0], steps[len(steps)-1], slope/1024)
		}
		m.stop()
	}
}

// growthSteps reads BENCH_GROWTH: increasing numbers of programs.
func growthSteps(b *testing.B) []int {
	v := os.Getenv("BENCH_GROWTH")
	if v == "" {
		v = "1000,3000,10000"
	}
	var steps []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || (len(steps) > 0 && n <= steps[len(steps)-1]) {
			b.Fatalf("BENCH_GROWTH=%q is not a list of increasing positive numbers", v)
		}
		steps = append(steps, n)
	}
	return steps
}
