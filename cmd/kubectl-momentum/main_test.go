package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/cli-runtime/pkg/genericiooptions"
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
	"github.com/momentum-dev/momentum/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var (
	env        *envtest.Environment
	restCfg    *rest.Config
	k8s        client.Client
	kubeconfig string
	nsSeq      atomic.Int32
)

// t0 is the manager's fake clock: after every sample of config/samples.
var t0 = time.Date(2026, 11, 15, 9, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	flag.Parse()
	logf.SetLogger(zap.New(zap.WriteTo(io.Discard)))
	var err error
	if env, err = testenv.New(); err == nil {
		restCfg, err = env.Start()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the control plane:", err)
		os.Exit(1)
	}
	code := func() int {
		defer func() { _ = env.Stop() }()
		dir, err := os.MkdirTemp("", "kubectl-momentum")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer func() { _ = os.RemoveAll(dir) }()
		if kubeconfig, err = testenv.Admin(env, dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if k8s, err = client.New(restCfg, client.Options{Scheme: testenv.Scheme}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return m.Run()
	}()
	os.Exit(code)
}

// namespace creates a namespace (a fresh one when name is empty).
func namespace(t *testing.T, name string) string {
	t.Helper()
	if name == "" {
		name = fmt.Sprintf("plugin-%d", nsSeq.Add(1))
	}
	if err := k8s.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}); err != nil {
		t.Fatalf("creating namespace: %v", err)
	}
	return name
}

// startManager runs the real Momentum manager for ns with a fake clock at
// t0, until the returned function stops it (or the test ends).
func startManager(t *testing.T, ns string) (stop func()) {
	t.Helper()
	return startManagerAt(t, ns, t0)
}

func startManagerAt(t *testing.T, ns string, start time.Time) (stop func()) {
	t.Helper()
	opts := manager.Options{
		Scheme:                 testenv.Scheme,
		Cache:                  cache.Options{DefaultNamespaces: map[string]cache.Config{ns: {}}},
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		Controller:             config.Controller{SkipNameValidation: ptr.To(true)},
	}
	controllers.ManagerOptions(&opts)
	mgr, err := manager.New(restCfg, opts)
	if err != nil {
		t.Fatalf("creating manager: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	err = controllers.Setup(ctx, mgr, controllers.Options{Clock: clocktesting.NewFakeClock(start), MaxConcurrentReconciles: 2, Jobs: cronjobs.Options{Image: "momentum-manager:test"}})
	if err != nil {
		t.Fatalf("setting up controllers: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("manager stopped with error: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// applySamples creates every object of config/samples in ns.
func applySamples(t *testing.T, ns string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testenv.RepoRoot(), "config", "samples", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
		for {
			u := &unstructured.Unstructured{}
			if err := dec.Decode(&u.Object); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if u.GetKind() == "" || u.GetKind() == "Namespace" {
				continue
			}
			u.SetNamespace(ns)
			if err := k8s.Create(context.Background(), u); err != nil {
				t.Fatalf("creating %s %s: %v", u.GetKind(), u.GetName(), err)
			}
		}
	}
}

// result is what one run of the plugin printed and returned.
type result struct {
	code        int
	out, errOut string
}

// plugin runs the command line against the test cluster, at now.
func plugin(ctx context.Context, now time.Time, args ...string) result {
	var out, errOut testenv.SyncBuffer
	a := newApp(genericiooptions.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, func() time.Time { return now })
	code := run(ctx, a, append(args, "--kubeconfig", kubeconfig))
	return result{code: code, out: out.String(), errOut: errOut.String()}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(g Gomega, name, got string) {
	path := filepath.Join("testdata", name)
	if *update {
		g.Expect(os.MkdirAll("testdata", 0o755)).To(Succeed())
		g.Expect(os.WriteFile(path, []byte(got), 0o600)).To(Succeed())
	}
	want, err := os.ReadFile(path)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(got).To(Equal(string(want)), "run `go test ./cmd/kubectl-momentum -update` after checking the new output")
}

func ioStreams(out io.Writer) genericiooptions.IOStreams {
	return genericiooptions.IOStreams{In: strings.NewReader(""), Out: out, ErrOut: io.Discard}
}
