// Package bench measures the manager end to end on the real control plane.
// Run it with `make bench` (BENCH_N sets the number of initiatives).
package bench

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/testenv"
)

// workers is how many creates run at once, for the floor and the manager alike.
const workers = 8

// BenchmarkInitiativesReady creates N initiatives with two indicators each
// and reports the time until all 3N objects are Ready with the manager
// running, divided by the floor: the time a raw client needs for the same
// creates plus one status write per object. It also reports the manager's
// peak RSS.
func BenchmarkInitiativesReady(b *testing.B) {
	n := 300
	if v := os.Getenv("BENCH_N"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("BENCH_N=%q is not a positive number", v)
		}
	}
	h := startHarness(b)
	c, dir, kubeconfig, manager := h.c, h.dir, h.kubeconfig, h.manager
	ctx := context.Background()

	for i := 0; i < b.N; i++ {
		floorNS, mgrNS := fmt.Sprintf("floor-%d", i), fmt.Sprintf("managed-%d", i)
		for _, ns := range []string{floorNS, mgrNS} {
			if err := c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
				b.Fatal(err)
			}
		}

		// The floor: creates plus one status write per object, no manager,
		// observed by the same watch that observes the manager's run.
		floorReady := watchReady(ctx, b, c, floorNS, 3*n, map[string]int{})
		start := time.Now()
		parallel(n, func(j int) error {
			for _, o := range program(floorNS, j) {
				if err := c.Create(ctx, o); err != nil {
					return err
				}
				markReady(o)
				if err := c.Status().Update(ctx, o); err != nil {
					return err
				}
			}
			return nil
		}, b)
		<-floorReady
		floor := time.Since(start)
		// Remove the floor's objects so the manager does not see them.
		for _, o := range []client.Object{&v1alpha1.Initiative{}, &v1alpha1.LeadingIndicator{}} {
			if err := c.DeleteAllOf(ctx, o, client.InNamespace(floorNS)); err != nil {
				b.Fatal(err)
			}
		}

		// The manager, running with its default flags, already synced.
		probe := freePort(b)
		cmd := exec.Command(manager, "--metrics-bind-address=0", "--health-probe-bind-address="+probe)
		cmd.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig)
		logf, _ := os.Create(filepath.Join(dir, "manager.log"))
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		waitHealthy(b, "http://"+probe+"/readyz")

		writes := map[string]int{}
		ready := watchReady(ctx, b, c, mgrNS, 3*n, writes)
		start = time.Now()
		parallel(n, func(j int) error {
			for _, o := range program(mgrNS, j) {
				if err := c.Create(ctx, o); err != nil {
					return err
				}
			}
			return nil
		}, b)
		created := time.Since(start)
		select {
		case <-ready:
		case <-time.After(10 * time.Minute):
			b.Fatalf("not all %d objects became Ready within 10 minutes (see %s)", 3*n, logf.Name())
		}
		managed := time.Since(start)
		rss := peakRSS(cmd.Process.Pid)
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		_ = logf.Close()

		ratio := managed.Seconds() / floor.Seconds()
		b.ReportMetric(ratio, "x-floor")
		b.ReportMetric(float64(rss)/(1<<20), "MiB-peak-rss")
		b.ReportMetric(managed.Seconds(), "s-to-ready")
		b.ReportMetric(floor.Seconds(), "s-floor")
		events := &eventsv1.EventList{}
		if err := c.List(ctx, events, client.InNamespace(mgrNS)); err != nil {
			b.Fatal(err)
		}
		reasons := map[string]int{}
		for _, e := range events.Items {
			reasons[e.Reason]++
		}
		fmt.Println("events by reason:", reasons)
		fmt.Printf("N=%d initiatives (%d objects): floor %.2fs (creates + 1 status write each), creates alone %.2fs, all Ready with the manager %.2fs: %.2fx the floor; manager peak RSS %.1f MiB; status writes per initiative %.2f, per indicator %.2f; Events %d\n",
			n, 3*n, floor.Seconds(), created.Seconds(), managed.Seconds(), ratio, float64(rss)/(1<<20),
			float64(writes["i"])/float64(n), float64(writes["l"])/float64(2*n), len(events.Items))
	}
}

// harness is a real control plane, an admin kubeconfig for the manager
// binary built from this tree, and an unthrottled client for the benchmark.
type harness struct {
	kubeconfig, manager, dir string
	c                        client.WithWatch
}

// startHarness starts the control plane (stopped when the benchmark ends)
// and builds the manager.
func startHarness(b *testing.B) harness {
	env, err := testenv.New()
	if err != nil {
		b.Fatal(err)
	}
	cfg, err := env.Start()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = env.Stop() })
	h := harness{dir: b.TempDir()}
	if h.kubeconfig, err = testenv.Admin(env, h.dir); err != nil {
		b.Fatal(err)
	}
	h.manager = filepath.Join(h.dir, "manager")
	if out, err := exec.Command("go", "build", "-o", h.manager, "../../cmd/manager").CombinedOutput(); err != nil {
		b.Fatalf("building the manager: %v\n%s", err, out)
	}
	// The raw client is not rate limited: the floor is what the API server can do.
	cfg = rest.CopyConfig(cfg)
	cfg.QPS, cfg.Burst = -1, 0
	if h.c, err = client.NewWithWatch(cfg, client.Options{Scheme: testenv.Scheme}); err != nil {
		b.Fatal(err)
	}
	return h
}

// program is initiative j with two indicators that its first stage gates on.
func program(ns string, j int) []client.Object {
	name := fmt.Sprintf("program-%d", j)
	it := &v1alpha1.Initiative{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.InitiativeSpec{
			Why:      "Every customer should feel we are on their side.",
			Sponsors: []v1alpha1.Person{{Name: "Dana Lee"}},
			Stages: []v1alpha1.Stage{
				{Name: "Initiation", ExitCriteria: &v1alpha1.ExitCriteria{
					MinDuration: &metav1.Duration{Duration: 720 * time.Hour},
					Indicators:  []v1alpha1.IndicatorCriterion{{Name: name + "-awareness"}, {Name: name + "-belief"}},
				}},
				{Name: "Reinforcement"},
			},
		},
	}
	objs := []client.Object{it}
	for _, suffix := range []string{"-awareness", "-belief"} {
		objs = append(objs, &v1alpha1.LeadingIndicator{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name + suffix},
			Spec: v1alpha1.LeadingIndicatorSpec{
				InitiativeRef: v1alpha1.LocalObjectReference{Name: name},
				Category:      v1alpha1.CategoryAwareness,
				Target:        v1alpha1.Target{Value: "75"},
				Samples: []v1alpha1.Sample{
					{At: metav1.NewTime(time.Now().Add(-48 * time.Hour).Truncate(time.Second)), Value: "61"},
					{At: metav1.NewTime(time.Now().Add(-24 * time.Hour).Truncate(time.Second)), Value: "66.5"},
				},
			},
		})
	}
	return objs
}

func markReady(o client.Object) {
	cond := metav1.Condition{Type: v1alpha1.ConditionReady, Status: metav1.ConditionTrue, Reason: "Floor", Message: "floor", LastTransitionTime: metav1.Now(), ObservedGeneration: o.GetGeneration()}
	switch o := o.(type) {
	case *v1alpha1.Initiative:
		o.Status.Conditions, o.Status.ObservedGeneration = []metav1.Condition{cond}, o.Generation
	case *v1alpha1.LeadingIndicator:
		o.Status.Conditions, o.Status.ObservedGeneration = []metav1.Condition{cond}, o.Generation
	}
}

// watchReady closes the returned channel once want objects in ns are Ready
// for their current generation.
func watchReady(ctx context.Context, b *testing.B, c client.WithWatch, ns string, want int, writes map[string]int) <-chan struct{} {
	done := make(chan struct{})
	var mu sync.Mutex
	ready := map[string]bool{}
	observe := func(kind string, conds []metav1.Condition, gen, observed int64, name string) {
		mu.Lock()
		defer mu.Unlock()
		writes[kind]++
		ok := meta.IsStatusConditionTrue(conds, v1alpha1.ConditionReady) && observed == gen
		ready[kind+"/"+name] = ok
		count := 0
		for _, r := range ready {
			if r {
				count++
			}
		}
		if count == want {
			select {
			case <-done:
			default:
				close(done)
			}
		}
	}
	for _, list := range []client.ObjectList{&v1alpha1.InitiativeList{}, &v1alpha1.LeadingIndicatorList{}} {
		w, err := c.Watch(ctx, list, client.InNamespace(ns))
		if err != nil {
			b.Fatal(err)
		}
		go func() {
			for ev := range w.ResultChan() {
				if ev.Type != watch.Modified {
					continue
				}
				switch o := ev.Object.(type) {
				case *v1alpha1.Initiative:
					observe("i", o.Status.Conditions, o.Generation, o.Status.ObservedGeneration, o.Name)
				case *v1alpha1.LeadingIndicator:
					observe("l", o.Status.Conditions, o.Generation, o.Status.ObservedGeneration, o.Name)
				}
			}
		}()
	}
	return done
}

func parallel(n int, f func(int) error, b *testing.B) {
	jobs := make(chan int)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				if err := f(j); err != nil {
					errs <- err
				}
			}
		})
	}
	for j := 0; j < n; j++ {
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

func freePort(b *testing.B) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().String()
}

// waitHealthy waits, at most a minute, for the manager's readiness probe.
func waitHealthy(b *testing.B, url string) {
	deadline := time.After(time.Minute)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if resp, err := http.Get(url); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-deadline:
			b.Fatalf("manager not ready at %s", url)
		case <-tick.C:
		}
	}
}

// peakRSS reads the high-water mark of a process's resident memory.
func peakRSS(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}
