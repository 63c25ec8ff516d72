package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// liveInterval is the indicators' measurement interval.
const liveInterval = time.Minute

// BenchmarkLiveIndicatorWrites runs the manager against N LeadingIndicators
// measured over HTTP every minute for a while (BENCH_LIVE_N, default 1000;
// BENCH_LIVE_DURATION, default 150s) and counts the measurements (requests
// to the source) and the manager's writes to the indicators (MODIFIED
// watch events). It fails when there are more writes than measurements:
// each measurement is one status write, the first of them the Ready write.
func BenchmarkLiveIndicatorWrites(b *testing.B) {
	n := 1000
	if v := os.Getenv("BENCH_LIVE_N"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("BENCH_LIVE_N=%q is not a positive number", v)
		}
	}
	duration := 150 * time.Second
	if v := os.Getenv("BENCH_LIVE_DURATION"); v != "" {
		var err error
		if duration, err = time.ParseDuration(v); err != nil || duration <= 0 {
			b.Fatalf("BENCH_LIVE_DURATION=%q is not a positive duration", v)
		}
	}
	h := startHarness(b)
	c := h.c
	ctx := context.Background()

	for i := 0; i < b.N; i++ {
		src := newLiveSource()
		srv := httptest.NewServer(src)

		ns := fmt.Sprintf("live-%d", i)
		if err := c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			b.Fatal(err)
		}
		writes := watchWrites(ctx, b, c, ns)

		m := startManager(b, h, fmt.Sprintf("live-manager-%d", i), "--allow-http-host=127.0.0.1", "--allow-cidr=127.0.0.0/8")
		logPath := m.log

		if err := c.Create(ctx, &v1alpha1.Initiative{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "advocacy"},
			Spec: v1alpha1.InitiativeSpec{
				Why:      "Customers who recommend us are the surest sign we are on their side.",
				Sponsors: []v1alpha1.Person{{Name: "Dana Lee"}},
			},
		}); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		parallel(n, func(j int) error {
			name := fmt.Sprintf("nps-%d", j)
			return c.Create(ctx, &v1alpha1.LeadingIndicator{
				ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
				Spec: v1alpha1.LeadingIndicatorSpec{
					InitiativeRef: v1alpha1.LocalObjectReference{Name: "advocacy"},
					Category:      v1alpha1.CategoryCustomerAdvocacy,
					Target:        v1alpha1.Target{Value: "30"},
					Source: &v1alpha1.IndicatorSource{HTTP: &v1alpha1.HTTPSource{
						// The query only tells the source which indicator asks.
						URL:      srv.URL + "/nps?indicator=" + name,
						JSONPath: "{.data.nps}",
						Interval: &metav1.Duration{Duration: liveInterval},
					}},
				},
			})
		}, b)
		created := time.Since(start)

		select {
		case <-time.After(duration - created):
		case <-writes.closed:
			b.Fatalf("the watch on LeadingIndicators ended early (see %s)", logPath)
		}
		_, rss := m.rss()
		m.stop()
		ran := time.Since(start)
		srv.Close()

		// A fence: the watch delivers events in order, so once it sees this
		// create it has seen every write the manager made before it stopped.
		fence := &v1alpha1.LeadingIndicator{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "fence"},
			Spec: v1alpha1.LeadingIndicatorSpec{
				InitiativeRef: v1alpha1.LocalObjectReference{Name: "advocacy"},
				Category:      v1alpha1.CategoryCustomerAdvocacy,
				Target:        v1alpha1.Target{Value: "30"},
			},
		}
		if err := c.Create(ctx, fence); err != nil {
			b.Fatal(err)
		}
		select {
		case <-writes.fenced:
		case <-writes.closed:
			b.Fatal("the watch on LeadingIndicators ended before the fence")
		case <-time.After(time.Minute):
			b.Fatal("the watch did not see the fence within a minute")
		}

		measurements, perIndicator, peak, peakLater := src.stats(n)
		written, added, perWritten := writes.stats()
		writes.stop()
		if added != n+1 {
			b.Fatalf("the watch saw %d creates, want %d", added, n+1)
		}
		var over []string
		for name, w := range perWritten {
			if m := perIndicator[name]; w > m {
				over = append(over, fmt.Sprintf("%s: %d writes, %d measurements", name, w, m))
			}
		}
		slices.Sort(over)
		unmeasured := 0
		for j := 0; j < n; j++ {
			if perIndicator[fmt.Sprintf("nps-%d", j)] == 0 {
				unmeasured++
			}
		}
		perMeasurement := float64(written) / float64(max(measurements, 1))
		b.ReportMetric(float64(measurements), "measurements")
		b.ReportMetric(float64(written), "status-writes")
		b.ReportMetric(perMeasurement, "writes/measurement")
		b.ReportMetric(float64(peak), "peak-requests/s")
		b.ReportMetric(float64(peakLater), "peak-requests/s-after-first-round")
		b.ReportMetric(float64(rss)/(1<<20), "MiB-peak-rss")
		fmt.Printf("N=%d indicators on a %s interval for %.0fs (creates %.1fs): %d measurements, %d indicator status writes, %.3f writes per measurement (%d indicators never measured); peak %d requests in one second overall, %d after the first round; manager peak RSS %.1f MiB\n",
			n, liveInterval, ran.Seconds(), created.Seconds(), measurements, written, perMeasurement, unmeasured,
			peak, peakLater, float64(rss)/(1<<20))
		if written > measurements || len(over) > 0 {
			b.Fatalf("%d status writes for %d measurements; indicators written more often than measured (%d): %s\nmanager log:\n%s",
				written, measurements, len(over), strings.Join(over[:min(len(over), 10)], "; "), tail(logPath, 30))
		}
		if unmeasured > 0 {
			b.Fatalf("%d of %d indicators were never measured\nmanager log:\n%s", unmeasured, n, tail(logPath, 30))
		}
	}
}

// liveSource is a JSON API that answers {"data":{"nps":<n>}} and counts the
// requests: each is one measurement.
type liveSource struct {
	requests atomic.Int64
	mu       sync.Mutex
	perSec   map[int64]int
	perName  map[string]int
	first    time.Time
}

func newLiveSource() *liveSource {
	return &liveSource{perSec: map[int64]int{}, perName: map[string]int{}}
}

func (s *liveSource) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	count := s.requests.Add(1)
	now := time.Now()
	s.mu.Lock()
	if s.first.IsZero() {
		s.first = now
	}
	s.perSec[now.Unix()]++
	s.perName[r.URL.Query().Get("indicator")]++
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	// 28..32 around the target of 30, so history and health change.
	_, _ = fmt.Fprintf(w, `{"data":{"nps":%d}}`, 28+count%5)
}

// stats returns the number of measurements, those per indicator, and the
// most requests in any one second, overall and from one interval after the
// first request on (when the first round, paced by the creates, is over).
func (s *liveSource) stats(n int) (total int, perName map[string]int, peak, peakLater int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	perName = make(map[string]int, n)
	for k, v := range s.perName {
		perName[k] = v
	}
	later := s.first.Add(liveInterval).Unix()
	for sec, v := range s.perSec {
		peak = max(peak, v)
		if sec >= later {
			peakLater = max(peakLater, v)
		}
	}
	return int(s.requests.Load()), perName, peak, peakLater
}

// liveWrites counts the watch events on the LeadingIndicators of a namespace.
type liveWrites struct {
	mu       sync.Mutex
	modified map[string]int
	added    int
	// fenced is closed when the indicator named "fence" is created.
	fenced chan struct{}
	// closed is closed when the watch ends.
	closed chan struct{}
	stop   func()
}

// watchWrites starts counting: a MODIFIED event is a write by the manager
// (the benchmark only creates).
func watchWrites(ctx context.Context, b *testing.B, c client.WithWatch, ns string) *liveWrites {
	w, err := c.Watch(ctx, &v1alpha1.LeadingIndicatorList{}, client.InNamespace(ns))
	if err != nil {
		b.Fatal(err)
	}
	lw := &liveWrites{modified: map[string]int{}, fenced: make(chan struct{}), closed: make(chan struct{}), stop: w.Stop}
	go func() {
		defer close(lw.closed)
		for ev := range w.ResultChan() {
			o, ok := ev.Object.(*v1alpha1.LeadingIndicator)
			if !ok {
				continue
			}
			lw.mu.Lock()
			switch ev.Type {
			case watch.Modified:
				lw.modified[o.Name]++
			case watch.Added:
				lw.added++
				if o.Name == "fence" {
					close(lw.fenced)
				}
			}
			lw.mu.Unlock()
		}
	}()
	return lw
}

func (lw *liveWrites) stats() (total, added int, perName map[string]int) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	perName = make(map[string]int, len(lw.modified))
	for k, v := range lw.modified {
		perName[k] = v
		total += v
	}
	return total, lw.added, perName
}

// tail is the last lines of a file.
func tail(path string, lines int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	all := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	return strings.Join(all[max(len(all)-lines, 0):], "\n")
}
