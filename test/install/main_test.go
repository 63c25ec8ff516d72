// Package install_test checks what users install (install.yaml, the Helm
// chart) against the real API server, and how Argo CD and Flux read the
// health of objects the real manager wrote.
package install_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/yaml"

	"github.com/momentum-dev/momentum/internal/testenv"
)

var (
	env        *envtest.Environment
	restCfg    *rest.Config
	k8s        client.Client
	kubeconfig string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	logf.SetLogger(zap.New(zap.WriteTo(os.Stderr), zap.UseDevMode(true)))
	var err error
	if env, err = testenv.New(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if restCfg, err = env.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "starting the control plane:", err)
		return 1
	}
	defer func() { _ = env.Stop() }()
	if k8s, err = client.New(restCfg, client.Options{Scheme: testenv.Scheme}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	dir, err := os.MkdirTemp("", "momentum-install-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()
	if kubeconfig, err = testenv.Admin(env, dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

// root is the repository's top directory.
func root() string { return testenv.RepoRoot() }

// kustomize is the pinned kustomize binary `make test` passes (KUSTOMIZE),
// else bin/kustomize of the repository.
func kustomize(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("KUSTOMIZE")
	if bin == "" {
		bin = filepath.Join(root(), "bin", "kustomize")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("kustomize not found at %s: run `make test` (it builds it) or set KUSTOMIZE", bin)
	}
	return bin
}

// buildInstaller runs `make build-installer`'s script with image img and
// returns the manifest it wrote.
func buildInstaller(t *testing.T, img string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "install.yaml")
	cmd := exec.Command(filepath.Join(root(), "hack", "build-installer.sh"), img, out, kustomize(t))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build-installer: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// applyServerSide applies manifests for real (not a dry run) with kubectl's
// server-side apply, as users do, and returns kubectl's output.
func applyServerSide(t *testing.T, manifests []byte) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(env.BinaryAssetsDirectory, "kubectl"), "apply", "--server-side", "--field-manager=install-test", "-f", "-")
	cmd.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig)
	cmd.Stdin = bytes.NewReader(manifests)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl apply --server-side: %v\n%s", err, out)
	}
	return string(out)
}

// objects splits a multi-document manifest into objects.
func objects(t *testing.T, manifests []byte) []*unstructured.Unstructured {
	t.Helper()
	var objs []*unstructured.Unstructured
	for _, doc := range strings.Split("\n"+string(manifests), "\n---") {
		o := map[string]any{}
		if err := yaml.Unmarshal([]byte(doc), &o); err != nil {
			t.Fatalf("parsing manifest: %v\n%s", err, doc)
		}
		if len(o) > 0 {
			objs = append(objs, &unstructured.Unstructured{Object: o})
		}
	}
	return objs
}
