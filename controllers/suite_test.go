package controllers_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/momentum-dev/momentum/controllers"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/outbound"
	"github.com/momentum-dev/momentum/internal/testenv"
)

var (
	env     *envtest.Environment
	restCfg *rest.Config
	k8s     client.Client
	nsSeq   atomic.Int32
	// logs holds every log line the managers under test wrote, so tests can
	// prove what never appears in them.
	logs testenv.SyncBuffer
)

// testJobs and testPolicy configure delivery as the manager's flags would.
var (
	testJobs   = cronjobs.Options{Image: "momentum-manager:test"}
	testPolicy = outbound.Policy{}
)

// t0 is the fake clock's start: after every sample in the tests.
var t0 = time.Date(2026, 11, 15, 9, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	logf.SetLogger(zap.New(zap.WriteTo(io.MultiWriter(os.Stderr, &logs)), zap.UseDevMode(true)))
	var err error
	env, err = testenv.New()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if restCfg, err = env.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "starting the control plane:", err)
		os.Exit(1)
	}
	k8s, err = client.New(restCfg, client.Options{Scheme: testenv.Scheme})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	_ = env.Stop()
	os.Exit(code)
}

// namespace creates a fresh namespace for one test.
func namespace(t *testing.T) string {
	t.Helper()
	ns := fmt.Sprintf("culture-%d", nsSeq.Add(1))
	if err := k8s.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
		t.Fatalf("creating namespace: %v", err)
	}
	return ns
}

// managerOption changes how startManager configures a manager.
type managerOption func(*manager.Options, *controllers.Options)

// startManager runs Momentum's controllers, watching only ns, with the given
// clock, until the returned stop function is called (or the test ends).
func startManager(t *testing.T, ns string, clk *clocktesting.FakeClock, options ...managerOption) (stop func()) {
	t.Helper()
	return startManagerAs(t, restCfg, clk, []string{ns}, options...)
}

// startManagerAs is startManager with the credentials of cfg, watching the
// given namespaces (all of them when there are none).
func startManagerAs(t *testing.T, cfg *rest.Config, clk *clocktesting.FakeClock, namespaces []string, options ...managerOption) (stop func()) {
	t.Helper()
	var watched map[string]cache.Config
	for _, ns := range namespaces {
		if watched == nil {
			watched = map[string]cache.Config{}
		}
		watched[ns] = cache.Config{}
	}
	opts := manager.Options{
		Scheme:                 testenv.Scheme,
		Cache:                  cache.Options{DefaultNamespaces: watched},
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		Controller:             config.Controller{SkipNameValidation: ptr.To(true)},
	}
	controllers.ManagerOptions(&opts)
	ctrlOpts := controllers.Options{Clock: clk, MaxConcurrentReconciles: 2, Jobs: testJobs, Policy: testPolicy}
	for _, o := range options {
		o(&opts, &ctrlOpts)
	}
	mgr, err := manager.New(cfg, opts)
	if err != nil {
		t.Fatalf("creating manager: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := controllers.Setup(ctx, mgr, ctrlOpts); err != nil {
		t.Fatalf("setting up controllers: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("manager stopped with error: %v", err)
		}
	}
	t.Cleanup(stop)
	return stop
}

// --- fixtures ---

const timeout = 20 * time.Second
