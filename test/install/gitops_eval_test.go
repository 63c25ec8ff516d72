package install_test

import (
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fluxcd/cli-utils/pkg/kstatus/polling/engine"
	fluxkustomize "github.com/fluxcd/pkg/apis/kustomize"
	fluxcel "github.com/fluxcd/pkg/runtime/cel"
	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/yaml"

	"github.com/momentum-dev/momentum/controllers"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/outbound"
	"github.com/momentum-dev/momentum/internal/testenv"
)

// startManager runs Momentum's controllers as the manager binary would
// (the default, strict outbound policy), watching only ns, until the test ends.
func startManager(t *testing.T, ns string, clk *clocktesting.FakeClock) {
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
	if err := controllers.Setup(ctx, mgr, controllers.Options{
		Clock: clk, MaxConcurrentReconciles: 2, Jobs: cronjobs.Options{Image: "momentum-manager:test"}, Policy: outbound.Policy{AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}},
	}); err != nil {
		cancel()
		t.Fatalf("setting up controllers: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("manager stopped with error: %v", err)
		}
	})
}

// momentumKinds are Momentum's kinds; every one has a health check in each tool.
var momentumKinds = []string{"Initiative", "LeadingIndicator", "Channel", "RecognitionCampaign", "Commitment", "CultureAssessment"}

// argoScripts are the health.lua scripts of the shipped argocd-cm snippet, by kind.
func argoScripts(t *testing.T) map[string]string {
	t.Helper()
	var cm struct {
		Data map[string]string `json:"data"`
	}
	readYAMLFile(t, filepath.Join(root(), "config", "argocd", "argocd-cm.yaml"), &cm)
	scripts := map[string]string{}
	for _, kind := range momentumKinds {
		s, ok := cm.Data["resource.customizations.health.culture.momentum.dev_"+kind]
		if !ok {
			t.Fatalf("argocd-cm.yaml has no health check for %s", kind)
		}
		scripts[kind] = s
	}
	return scripts
}

// fluxReader is Flux's own status reader (the one kustomize-controller
// builds from spec.healthCheckExprs) for the shipped Kustomization.
func fluxReader(t *testing.T) engine.StatusReader {
	t.Helper()
	var ks struct {
		Spec struct {
			HealthCheckExprs []fluxkustomize.CustomHealthCheck `json:"healthCheckExprs"`
		} `json:"spec"`
	}
	readYAMLFile(t, filepath.Join(root(), "config", "flux", "kustomization.yaml"), &ks)
	if len(ks.Spec.HealthCheckExprs) != len(momentumKinds) {
		t.Fatalf("want healthCheckExprs for %d kinds, got %d", len(momentumKinds), len(ks.Spec.HealthCheckExprs))
	}
	newReader, err := fluxcel.NewStatusReader(ks.Spec.HealthCheckExprs)
	if err != nil {
		t.Fatalf("healthCheckExprs: %v", err)
	}
	return newReader(nil)
}

func readYAMLFile(t *testing.T, path string, into any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, into); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// argoHealth runs a health.lua the way Argo CD does: the object as the
// global obj, the returned table's status and message.
func argoHealth(script string, obj *unstructured.Unstructured) (status, message string, err error) {
	L := lua.NewState(lua.Options{SkipOpenLibs: false})
	defer L.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	L.SetContext(ctx)
	L.SetGlobal("obj", toLua(L, obj.Object))
	if err := L.DoString(script); err != nil {
		return "", "", err
	}
	hs, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		return "", "", nil
	}
	return lua.LVAsString(hs.RawGetString("status")), lua.LVAsString(hs.RawGetString("message")), nil
}

// toLua converts decoded JSON to Lua values as Argo CD does: objects and
// arrays to tables, numbers to Lua numbers.
func toLua(L *lua.LState, v any) lua.LValue {
	switch x := v.(type) {
	case map[string]any:
		t := L.NewTable()
		for k, e := range x {
			t.RawSetString(k, toLua(L, e))
		}
		return t
	case []any:
		t := L.NewTable()
		for _, e := range x {
			t.Append(toLua(L, e))
		}
		return t
	case string:
		return lua.LString(x)
	case bool:
		return lua.LBool(x)
	case int64:
		return lua.LNumber(x)
	case float64:
		return lua.LNumber(x)
	case nil:
		return lua.LNil
	}
	panic("unexpected JSON value")
}

// fluxHealth is the kstatus status Flux computes for obj: its expressions
// in RFC 0009's order, an evaluation error as Unknown (Flux polls again).
func fluxHealth(r engine.StatusReader, obj *unstructured.Unstructured) (string, error) {
	res, err := r.ReadStatusForObject(context.Background(), nil, obj)
	if err != nil {
		return "", err
	}
	return res.Status.String(), nil
}
