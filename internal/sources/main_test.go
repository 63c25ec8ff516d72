package sources

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/outbound"
	"github.com/momentum-dev/momentum/internal/testenv"
)

// prom is the real Prometheus server shared by the tests (internal/testenv
// runs it), started on first use and stopped by TestMain.
var prom struct {
	once   sync.Once
	server *testenv.Prometheus
	dir    string
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if prom.server != nil {
		prom.server.Stop()
	}
	if prom.dir != "" {
		_ = os.RemoveAll(prom.dir)
	}
	os.Exit(code)
}

// startPrometheus returns the address of a running Prometheus; a missing
// binary fails the test rather than skipping it.
func startPrometheus(t *testing.T) string {
	t.Helper()
	prom.once.Do(func() {
		if prom.dir, prom.err = os.MkdirTemp("", "sources-prometheus-"); prom.err == nil {
			prom.server, prom.err = testenv.StartPrometheus(prom.dir)
		}
	})
	if prom.err != nil {
		t.Fatal(prom.err)
	}
	return prom.server.URL
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
