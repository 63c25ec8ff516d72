package bench

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// managerProc is the manager binary running against the harness's control
// plane, with its metrics (plain HTTP) and, with BENCH_PPROF, pprof on
// loopback.
type managerProc struct {
	cmd            *exec.Cmd
	log            string
	metrics, pprof string
}

// startManager runs the manager with its default flags plus args, and the
// soft memory limit it has in its Pod, and waits until it is ready.
func startManager(b *testing.B, h harness, name string, args ...string) *managerProc {
	probe := freePort(b)
	m := &managerProc{metrics: freePort(b), log: filepath.Join(h.dir, name+".log")}
	args = append(args, "--metrics-bind-address="+m.metrics, "--metrics-secure=false", "--health-probe-bind-address="+probe)
	if os.Getenv("BENCH_PPROF") != "" {
		m.pprof = freePort(b)
		args = append(args, "--pprof-bind-address="+m.pprof)
	}
	m.cmd = exec.Command(h.manager, args...)
	m.cmd.Env = append(os.Environ(), "KUBECONFIG="+h.kubeconfig)
	if limit := memoryLimit(); limit != "off" {
		m.cmd.Env = append(m.cmd.Env, "GOMEMLIMIT="+limit)
	}
	logf, err := os.Create(m.log)
	if err != nil {
		b.Fatal(err)
	}
	m.cmd.Stdout, m.cmd.Stderr = logf, logf
	if err := m.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { m.stop(); _ = logf.Close() })
	waitHealthy(b, "http://"+probe+"/readyz")
	return m
}

// deployedMemoryLimit is the soft memory limit the manager sets itself in
// the Pod config/manager deploys: 60% of its 256Mi memory limit
// (memoryLimitRatio in cmd/manager).
const deployedMemoryLimit = "154MiB"

// memoryLimit is the GOMEMLIMIT the benchmark runs the manager with:
// BENCH_GOMEMLIMIT, by default the deployed one ("off": none).
func memoryLimit() string {
	if v := os.Getenv("BENCH_GOMEMLIMIT"); v != "" {
		return v
	}
	return deployedMemoryLimit
}

func (m *managerProc) stop() {
	if m.cmd.ProcessState != nil {
		return
	}
	_ = m.cmd.Process.Signal(os.Interrupt)
	_ = m.cmd.Wait()
}

// cpu is the manager's CPU time so far (user + system).
func (m *managerProc) cpu() time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", m.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces): utime is the
	// 14th field of the line, stime the 15th, in clock ticks of 1/100 s.
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// rss is the manager's resident memory now, and its high-water mark.
func (m *managerProc) rss() (now, peak int64) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", m.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			now = kb << 10
		case "VmHWM:":
			peak = kb << 10
		}
	}
	return now, peak
}

// queues summarises the manager's workqueue and reconcile metrics: per
// controller, the reconciles, the mean and worst-bucket wait in the queue,
// and the mean reconcile time.
func (m *managerProc) queues(b *testing.B) string {
	resp, err := http.Get("http://" + m.metrics + "/metrics")
	if err != nil {
		b.Fatalf("reading the manager's metrics: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		b.Fatalf("parsing the manager's metrics: %v", err)
	}
	var out []string
	for _, name := range []string{"initiative", "leadingindicator"} {
		wait := histogramOf(fams["workqueue_queue_duration_seconds"].GetMetric(), "name", name)
		work := histogramOf(fams["controller_runtime_reconcile_time_seconds"].GetMetric(), "controller", name)
		if wait == nil || work == nil {
			continue
		}
		out = append(out, fmt.Sprintf("%s: %d reconciles, queue wait mean %.0fms (p99 bucket ≤%s), reconcile mean %.1fms",
			name, work.GetSampleCount(), 1000*wait.GetSampleSum()/float64(max(wait.GetSampleCount(), 1)),
			p99Bucket(wait.GetBucket(), wait.GetSampleCount()), 1000*work.GetSampleSum()/float64(max(work.GetSampleCount(), 1))))
	}
	return strings.Join(out, "; ")
}

// profile saves one pprof profile of the manager into dir (BENCH_PPROF);
// it may run on its own goroutine, so it only logs failures.
func (m *managerProc) profile(b *testing.B, kind, query string) {
	dir := os.Getenv("BENCH_PPROF")
	if m.pprof == "" || dir == "" {
		return
	}
	resp, err := http.Get("http://" + m.pprof + "/debug/pprof/" + kind + query)
	if err != nil {
		b.Logf("pprof %s: %v", kind, err)
		return
	}
	defer func() { _ = resp.Body.Close() }()
	f, err := os.Create(filepath.Join(dir, kind+".pprof"))
	if err != nil {
		b.Logf("pprof %s: %v", kind, err)
		return
	}
	defer func() { _ = f.Close() }()
	_, _ = io.Copy(f, resp.Body)
	if kind != "heap" || query == "?gc=1" {
		fmt.Printf("pprof: wrote %s (go tool pprof -top %s)\n", f.Name(), f.Name())
	}
}

// profilePeak saves the manager's heap profile as heap-peak.pprof each time
// its resident memory reaches a new high (by 5%), until stopped: the heap
// at the peak, not after it (and heap-peak.txt: the same with the Go
// runtime's memory statistics).
func (m *managerProc) profilePeak(b *testing.B) (stop func()) {
	if m.pprof == "" {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		var high int64
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			if now, _ := m.rss(); now > high+high/20 {
				high = now
				m.profile(b, "heap", "?debug=1") // with the runtime's MemStats
				_ = os.Rename(filepath.Join(os.Getenv("BENCH_PPROF"), "heap.pprof"), filepath.Join(os.Getenv("BENCH_PPROF"), "heap-peak.txt"))
				m.profile(b, "heap", "")
				_ = os.Rename(filepath.Join(os.Getenv("BENCH_PPROF"), "heap.pprof"), filepath.Join(os.Getenv("BENCH_PPROF"), "heap-peak.pprof"))
			}
		}
	}()
	return func() { close(done); <-finished }
}

// histogramOf is the histogram whose label key has value, summed over
// every other label.
func histogramOf(ms []*dto.Metric, key, value string) *dto.Histogram {
	for _, m := range ms {
		for _, l := range m.GetLabel() {
			if l.GetName() == key && l.GetValue() == value {
				return m.GetHistogram()
			}
		}
	}
	return nil
}

// p99Bucket is the upper bound of the first bucket that holds 99% of the
// samples.
func p99Bucket(buckets []*dto.Bucket, count uint64) string {
	for _, bk := range buckets {
		if float64(bk.GetCumulativeCount()) >= 0.99*float64(count) {
			return (time.Duration(bk.GetUpperBound() * float64(time.Second))).String()
		}
	}
	return "+Inf"
}
