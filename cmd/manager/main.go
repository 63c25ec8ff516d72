// Command manager runs the Momentum controllers.
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"

	// The zone database, compiled in: schedules name IANA time zones and the
	// image has no /usr/share/zoneinfo.
	_ "time/tzdata"

	// Mozilla's CA roots, compiled in and used only when the system has none
	// (the image is built FROM scratch), so https webhooks and sources work.
	"github.com/KimMachineGun/automemlimit/memlimit"
	"github.com/go-logr/logr"
	_ "golang.org/x/crypto/x509roots/fallback"
	"k8s.io/apimachinery/pkg/labels"
	kruntime "k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/metrics/filters"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/measure"
	"github.com/momentum-dev/momentum/internal/metrics"
	"github.com/momentum-dev/momentum/internal/notify"
	"github.com/momentum-dev/momentum/internal/outbound"
	"github.com/momentum-dev/momentum/internal/tenancy"
	"github.com/momentum-dev/momentum/internal/watchdog"
)

var scheme = kruntime.NewScheme()

func init() {
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(v1alpha1.AddToScheme(scheme))
}

// config is what the flags say.
type config struct {
	metricsAddr, probeAddr      string
	leaderElect, secureMetrics  bool
	enableHTTP2                 bool
	concurrency                 int
	measurements, perNamespace  int
	qps                         float64
	burst                       int
	jobImage                    string
	allowHTTPHosts, allowCIDRs  outbound.FlagList
	namespaces, allowNSSelector string
	leaderElectionNamespace     string
	watchSelector, pprofAddr    string
	zap                         zap.Options
}

func main() {
	// The same binary delivers messages inside the Jobs it schedules.
	if len(os.Args) > 1 && os.Args[1] == "notify" {
		os.Exit(notify.Main(os.Args[2:], os.Stdout, os.Stderr))
	}
	c := parseFlags()
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&c.zap)))
	log := ctrl.Log.WithName("setup")
	if err := run(c, log); err != nil {
		log.Error(err, "Manager failed")
		os.Exit(1)
	}
}

// parseFlags reads the command line.
func parseFlags() config {
	var c config
	flag.StringVar(&c.metricsAddr, "metrics-bind-address", "0", "The address the metrics endpoint binds to. Use :8443 for HTTPS or :8080 for HTTP, or 0 to disable the metrics endpoint.")
	flag.StringVar(&c.probeAddr, "health-probe-bind-address", ":8081", "The address the probe endpoint binds to, or 0 to disable it.")
	flag.BoolVar(&c.leaderElect, "leader-elect", false, "Enable leader election, so that only one manager is active at a time.")
	flag.StringVar(&c.leaderElectionNamespace, "leader-election-namespace", "", "Namespace of the leader election Lease; empty: the manager's own namespace (required outside a cluster).")
	flag.BoolVar(&c.secureMetrics, "metrics-secure", true, "Serve metrics over HTTPS behind Kubernetes authentication and authorization. Use --metrics-secure=false for plain HTTP.")
	flag.BoolVar(&c.enableHTTP2, "enable-http2", false, "Enable HTTP/2 for the metrics server (off by default: HTTP/2 Rapid Reset and Stream Cancellation vulnerabilities).")
	flag.IntVar(&c.concurrency, "max-concurrent-reconciles", 16, "How many objects of each kind are reconciled at once.")
	flag.IntVar(&c.measurements, "max-concurrent-measurements", measure.DefaultTotal, "How many live-source measurements (http, prometheus) run at once, off the reconcile workers.")
	flag.IntVar(&c.perNamespace, "max-concurrent-measurements-per-namespace", measure.DefaultPerNamespace, "How many live-source measurements of one namespace run at once, so that no namespace takes more than its share.")
	flag.Float64Var(&c.qps, "kube-api-qps", 0, "Client-side limit of queries per second to the API server; 0 leaves it off and relies on the API server's priority and fairness.")
	flag.IntVar(&c.burst, "kube-api-burst", 0, "Client-side burst of queries to the API server, with --kube-api-qps.")
	flag.StringVar(&c.jobImage, "job-image", envOr("MOMENTUM_JOB_IMAGE", "momentum-manager:dev"), "Image of the Jobs that deliver messages: the manager's own image, which runs `notify`.")
	flag.Var(&c.allowHTTPHosts, "allow-http-host", "A host that Channels may reach over plain http (repeatable). By default only https is allowed.")
	flag.Var(&c.allowCIDRs, "allow-cidr", "An address range Channels may reach although it is loopback, link-local or private (repeatable). By default those are refused.")
	flag.StringVar(&c.namespaces, "namespaces", "", "Comma-separated namespaces to watch and act in (cache and watches only there), for a Role-based install (config/namespaced). Empty: every namespace.")
	flag.StringVar(&c.allowNSSelector, "allow-namespace-selector", "", "A label selector of the namespaces where --allow-cidr and --allow-http-host apply (to sources, Channels and delivery Jobs). Empty: every namespace.")
	flag.StringVar(&c.watchSelector, "watch-label-selector", "", "A label selector of the Initiatives, LeadingIndicators, Channels and RecognitionCampaigns this manager reconciles, for sharding (e.g. 'sharding.momentum.dev/key notin (shard1)' here and 'sharding.momentum.dev/key=shard1' in a shard). Empty: all.")
	flag.StringVar(&c.pprofAddr, "pprof-bind-address", "0", "The address to serve pprof on (CPU, heap, block and mutex profiles), e.g. 127.0.0.1:6060, or 0 to disable it. Profiles reveal internals: bind to loopback.")
	c.zap.BindFlags(flag.CommandLine)
	flag.Parse()
	return c
}

// run builds the manager the flags describe and runs it until a signal.
func run(c config, log logr.Logger) error {
	setMemoryLimit(log)
	if c.pprofAddr != "0" && c.pprofAddr != "" {
		// Sample every blocking event and contention: only while profiling.
		runtime.SetBlockProfileRate(1)
		runtime.SetMutexProfileFraction(1)
	}
	mgrOpts, err := c.managerOptions()
	if err != nil {
		return err
	}
	ctrlOpts, err := c.controllerOptions()
	if err != nil {
		return err
	}
	cfg := ctrl.GetConfigOrDie() // reads --kubeconfig, KUBECONFIG, in-cluster config, ~/.kube/config
	if c.qps > 0 {
		cfg.QPS, cfg.Burst = float32(c.qps), c.burst
	}
	mgr, err := ctrl.NewManager(cfg, mgrOpts)
	if err != nil {
		return fmt.Errorf("creating the manager: %w", err)
	}
	ctx := ctrl.SetupSignalHandler()
	if err := controllers.Setup(ctx, mgr, ctrlOpts); err != nil {
		return fmt.Errorf("setting up the controllers: %w", err)
	}
	// Liveness: the process answers, and no reconcile worker is stuck.
	if err := mgr.AddHealthzCheck("workers", ctrlOpts.Watchdog.Check); err != nil {
		return fmt.Errorf("setting up the health check: %w", err)
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return fmt.Errorf("setting up the ready check: %w", err)
	}
	log.Info("Starting manager")
	return mgr.Start(ctx)
}

// managerOptions are the manager's: metrics, probes, leader election, what
// the cache holds (namespaces, the shard).
func (c config) managerOptions() (ctrl.Options, error) {
	var tlsOpts []func(*tls.Config)
	if !c.enableHTTP2 {
		tlsOpts = append(tlsOpts, func(t *tls.Config) { t.NextProtos = []string{"http/1.1"} })
	}
	metricsOpts := metricsserver.Options{BindAddress: c.metricsAddr, SecureServing: c.secureMetrics, TLSOpts: tlsOpts}
	if c.secureMetrics {
		// Only callers that Kubernetes authenticates and authorizes (RBAC on
		// the /metrics non-resource URL) may read the metrics.
		metricsOpts.FilterProvider = filters.WithAuthenticationAndAuthorization
	}
	// /metrics streams the objects' series (behind the filter above).
	metrics.Serve(&metricsOpts)
	shard, err := labels.Parse(c.watchSelector)
	if err != nil {
		return ctrl.Options{}, fmt.Errorf("invalid --watch-label-selector: %w", err)
	}
	o := ctrl.Options{
		Scheme:                 scheme,
		Metrics:                metricsOpts,
		HealthProbeBindAddress: c.probeAddr,
		LeaderElection:         c.leaderElect,
		LeaderElectionID:       controllers.LeaderElectionID("momentum.culture.momentum.dev", c.watchSelector),
		PprofBindAddress:       c.pprofAddr,
		// The lease timings are controller-runtime's defaults (lease 15s,
		// renew deadline 10s, retry 2s): a killed leader is replaced within
		// lease + retry (tested in test/chaos).
		LeaderElectionNamespace: c.leaderElectionNamespace,
	}
	controllers.ManagerOptions(&o)
	controllers.WatchNamespaces(&o, strings.Split(c.namespaces, ","))
	controllers.WatchLabelSelector(&o, shard)
	return o, nil
}

// controllerOptions are the reconcilers': concurrency, delivery Jobs, the
// outbound policy and where its exceptions apply, the watchdog.
func (c config) controllerOptions() (controllers.Options, error) {
	cidrs, err := outbound.ParseCIDRs(c.allowCIDRs)
	if err != nil {
		return controllers.Options{}, fmt.Errorf("invalid --allow-cidr: %w", err)
	}
	nsSelector, err := tenancy.ParseSelector(c.allowNSSelector)
	if err != nil {
		return controllers.Options{}, fmt.Errorf("invalid --allow-namespace-selector: %w", err)
	}
	return controllers.Options{
		MaxConcurrentReconciles:  c.concurrency,
		Jobs:                     cronjobs.Options{Image: c.jobImage, AllowHTTPHosts: c.allowHTTPHosts, AllowCIDRs: c.allowCIDRs},
		Policy:                   outbound.Policy{AllowHTTPHosts: c.allowHTTPHosts, AllowCIDRs: cidrs},
		Measurements:             c.measurements,
		PerNamespaceMeasurements: c.perNamespace,
		AllowNamespaceSelector:   nsSelector,
		Watchdog:                 watchdog.New(),
	}, nil
}

// memoryLimitRatio is the share of the container's memory limit the Go
// runtime may use before its garbage collector works harder. The rest is
// for what the Go limit does not count: the binary's mapped pages and other
// memory outside the Go runtime (40-50 MiB of the manager's resident
// memory at 10,000 programs). At 90% (Prometheus's and automemlimit's
// default) the Go runtime alone may fill 230 of a 256 MiB limit, and
// resident memory reached 269 MiB at 10,000 programs: past the limit.
const memoryLimitRatio = 0.6

// setMemoryLimit sets a soft memory limit at memoryLimitRatio of the
// container's memory limit (its cgroup): the garbage collector then works
// harder near the limit instead of the kernel killing the Pod. Most of the
// manager's resident memory is garbage awaiting collection, not its cache.
// GOMEMLIMIT overrides it; AUTOMEMLIMIT sets another ratio (off: none).
func setMemoryLimit(log logr.Logger) {
	limit, err := memlimit.Set(memlimit.WithRatio(memoryLimitRatio))
	if err != nil {
		log.Info("Left the Go memory limit unset", "reason", err.Error())
		return
	}
	if limit != math.MaxInt64 {
		log.Info("Set the Go memory limit", "bytes", limit)
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
