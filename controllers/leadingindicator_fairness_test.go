package controllers_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/manager"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers"
)

// tarpit answers nothing until released (or the client gives up, after
// the outbound timeout), and counts the requests it holds.
type tarpit struct {
	mu             sync.Mutex
	inFlight, peak int
	release        chan struct{}
}

func (tp *tarpit) ServeHTTP(_ http.ResponseWriter, r *http.Request) {
	tp.mu.Lock()
	tp.inFlight++
	tp.peak = max(tp.peak, tp.inFlight)
	tp.mu.Unlock()
	defer func() { tp.mu.Lock(); tp.inFlight--; tp.mu.Unlock() }()
	select {
	case <-tp.release:
	case <-r.Context().Done():
	}
}

func (tp *tarpit) counts() (inFlight, peak int) {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return tp.inFlight, tp.peak
}

// Sixteen indicators of namespace A point at a tarpit. They hold neither
// the reconcile workers nor more than A's share of outbound concurrency:
// an indicator of namespace B is measured at once, not after them.
func TestTarpitInOneNamespaceDoesNotDelayAnother(t *testing.T) {
	g := NewWithT(t)
	nsA, nsB := namespace(t), namespace(t)
	tp := &tarpit{release: make(chan struct{})}
	slow := httptest.NewServer(tp)
	t.Cleanup(slow.Close)
	healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"data":{"nps":42}}`))
	}))
	t.Cleanup(healthy.Close)
	startManager(t, nsA, clocktesting.NewFakeClock(t0), func(m *manager.Options, o *controllers.Options) {
		m.Cache.DefaultNamespaces[nsB] = cache.Config{}
		o.Policy = loopbackPolicy
	})
	t.Cleanup(func() { close(tp.release) }) // runs before the manager stops

	create(t, newInitiative(nsA, "customer-first"), newInitiative(nsB, "customer-first"))
	for i := range 16 {
		create(t, liveIndicator(nsA, fmt.Sprintf("tarpit-%d", i), slow.URL))
	}
	g.Eventually(func() int { n, _ := tp.counts(); return n }).WithTimeout(timeout).Should(Equal(2))

	create(t, liveIndicator(nsB, "nps", healthy.URL))
	// Well within the outbound timeout (10 s) that the tarpit holds each
	// request for, and within one interval.
	g.Eventually(func(g Gomega) {
		g.Expect(getIndicator(g, nsB, "nps").Status.Value).To(HaveValue(Equal(v1alpha1.Decimal("42"))))
	}).WithTimeout(5 * time.Second).Should(Succeed())
	g.Consistently(func() int { _, peak := tp.counts(); return peak }).WithTimeout(time.Second).Should(Equal(2), "namespace A holds at most its share")
	g.Expect(getIndicator(g, nsA, "tarpit-0").Status.Conditions).To(BeEmpty(), "nothing is recorded until a measurement ends")
}
