package sources

import (
	"github.com/momentum-dev/momentum/api/v1alpha1"

	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/momentum-dev/momentum/internal/outbound"
)

// prom is the real Prometheus server shared by the tests, started on first
// use and stopped by TestMain.
var prom struct {
	once   sync.Once
	addr   string
	err    error
	cmd    *exec.Cmd
	dir    string
	exited chan struct{}
	stderr *syncBuffer
}

// syncBuffer collects Prometheus' output, written by exec's copier while a
// test may read it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestMain(m *testing.M) {
	code := m.Run()
	stopPrometheus()
	os.Exit(code)
}

// prometheusBinary is $PROMETHEUS_BINARY, else bin/prometheus of the repo.
func prometheusBinary() string {
	if b := os.Getenv("PROMETHEUS_BINARY"); b != "" {
		return b
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "bin", "prometheus")
}

// startPrometheus returns the address of a running Prometheus; a missing
// binary fails the test rather than skipping it.
func startPrometheus(t *testing.T) string {
	t.Helper()
	prom.once.Do(func() { prom.addr, prom.err = launchPrometheus() })
	if prom.err != nil {
		t.Fatal(prom.err)
	}
	return prom.addr
}

func launchPrometheus() (string, error) {
	bin := prometheusBinary()
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("prometheus binary not found at %s: run `make prometheus` (or set PROMETHEUS_BINARY)", bin)
	}
	dir, err := os.MkdirTemp("", "sources-prometheus-")
	if err != nil {
		return "", err
	}
	prom.dir = dir
	config := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(config, []byte("global:\n  scrape_interval: 15s\n"), 0o600); err != nil {
		return "", err
	}
	port, err := freePort()
	if err != nil {
		return "", err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	prom.stderr = &syncBuffer{}
	prom.cmd = exec.Command(bin,
		"--config.file="+config,
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr,
	)
	prom.cmd.Stdout = prom.stderr
	prom.cmd.Stderr = prom.stderr
	if err := prom.cmd.Start(); err != nil {
		return "", fmt.Errorf("starting prometheus: %w", err)
	}
	prom.exited = make(chan struct{})
	go func() {
		_ = prom.cmd.Wait()
		close(prom.exited)
	}()

	ready := "http://" + addr + "/-/ready"
	deadline := time.After(30 * time.Second)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if resp, err := http.Get(ready); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return "http://" + addr, nil
			}
		}
		select {
		case <-prom.exited:
			return "", fmt.Errorf("prometheus exited before it was ready:\n%s", prom.stderr.String())
		case <-deadline:
			return "", fmt.Errorf("prometheus not ready within 30s:\n%s", prom.stderr.String())
		case <-tick.C:
		}
	}
}

func stopPrometheus() {
	if prom.cmd != nil && prom.cmd.Process != nil {
		_ = prom.cmd.Process.Kill()
		<-prom.exited
	}
	if prom.dir != "" {
		_ = os.RemoveAll(prom.dir)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// loopbackPolicy lets tests reach servers on 127.0.0.1 over http.
func loopbackPolicy(t *testing.T) outbound.Policy {
	t.Helper()
	cidrs, err := outbound.ParseCIDRs([]string{"127.0.0.0/8"})
	if err != nil {
		t.Fatal(err)
	}
	return outbound.Policy{AllowHTTPHosts: []string{"127.0.0.1"}, AllowCIDRs: cidrs, Timeout: 10 * time.Second}
}

// fakeSecrets serves Secrets from a map, answering NotFound like the API.
func fakeSecrets(secrets ...*corev1.Secret) SecretGetter {
	byName := map[string]*corev1.Secret{}
	for _, s := range secrets {
		byName[s.Name] = s
	}
	return func(_ context.Context, name string) (*corev1.Secret, error) {
		if s, ok := byName[name]; ok {
			return s.DeepCopy(), nil
		}
		return nil, apierrors.NewNotFound(schema.GroupResource{Resource: "secrets"}, name)
	}
}

// secret builds a Secret its owner labelled usable for purpose.
func secret(name, purpose string, data map[string]string) *corev1.Secret {
	s := &corev1.Secret{Data: map[string][]byte{}}
	s.Name = name
	s.Labels = map[string]string{v1alpha1.LabelUsableFor: purpose}
	for k, v := range data {
		s.Data[k] = []byte(v)
	}
	return s
}

// legacySecret builds a Secret with only the deprecated usable=true label.
func legacySecret(name string, data map[string]string) *corev1.Secret {
	s := secret(name, "", data)
	s.Labels = map[string]string{v1alpha1.LabelUsable: "true"}
	return s
}

// withAllowedHosts restricts where s may be sent.
func withAllowedHosts(s *corev1.Secret, hosts string) *corev1.Secret {
	s.Annotations = map[string]string{v1alpha1.AnnotationAllowedHosts: hosts}
	return s
}
