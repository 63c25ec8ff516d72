// Package watchdog lets the liveness probe notice stuck reconcile workers,
// not only answer pings: a reconcile that has run far longer than any
// reconcile should (every call it makes has a timeout) means a worker is
// stuck, and a restart is the cure a probe can bring.
package watchdog

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// DefaultLimit is how long a reconcile may run before the manager counts as
// stuck: far above the longest legitimate one (API calls and outbound
// requests all time out within seconds).
const DefaultLimit = 5 * time.Minute

// Watchdog tracks the reconciles in flight.
type Watchdog struct {
	Clock clock.PassiveClock
	Limit time.Duration

	mu       sync.Mutex
	next     uint64
	inFlight map[uint64]inFlight
}

type inFlight struct {
	controller string
	request    reconcile.Request
	started    time.Time
}

// New returns a Watchdog with the real clock and DefaultLimit.
func New() *Watchdog {
	return &Watchdog{Clock: clock.RealClock{}, Limit: DefaultLimit}
}

// Wrap returns r, reporting each of its reconciles to the watchdog; a nil
// Watchdog returns r itself.
func (w *Watchdog) Wrap(controller string, r reconcile.Reconciler) reconcile.Reconciler {
	if w == nil {
		return r
	}
	return reconcile.Func(func(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
		id := w.start(controller, req)
		defer w.done(id)
		return r.Reconcile(ctx, req)
	})
}

func (w *Watchdog) start(controller string, req reconcile.Request) uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.inFlight == nil {
		w.inFlight = map[uint64]inFlight{}
	}
	w.next++
	w.inFlight[w.next] = inFlight{controller: controller, request: req, started: w.Clock.Now()}
	return w.next
}

func (w *Watchdog) done(id uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.inFlight, id)
}

// Check is a healthz check: it fails while a reconcile has run past Limit.
func (w *Watchdog) Check(*http.Request) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.Clock.Now()
	for _, f := range w.inFlight {
		if d := now.Sub(f.started); d > w.Limit {
			return fmt.Errorf("the %s reconcile of %s has run for %s (limit %s): a worker is stuck", f.controller, f.request, d.Round(time.Second), w.Limit)
		}
	}
	return nil
}
