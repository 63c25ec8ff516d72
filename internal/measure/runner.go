// Package measure runs live-source measurements off the reconcile workers.
//
// A measurement can take as long as the outbound timeout (a tarpit answers
// slowly on purpose), so reconcilers hand due measurements to a Runner and
// return at once. The Runner bounds how many run in total and per namespace,
// taking namespaces in turn, so one tenant's slow or many sources cannot
// starve another's. A finished measurement is kept until the reconciler
// records it, and announced on a channel that controller-runtime turns into
// a reconcile of its object.
package measure

import (
	"context"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/source"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// Defaults of a Runner's bounds.
const (
	// DefaultTotal is how many measurements run at once in all.
	DefaultTotal = 16
	// DefaultPerNamespace is how many run at once for one namespace.
	DefaultPerNamespace = 2
)

// Func measures once. It returns the value (or a secret-free error) and the
// time the measurement started.
type Func func(ctx context.Context) (v1alpha1.Decimal, time.Time, error)

// Result is a finished measurement.
type Result struct {
	// Value is the measured number, when Err is nil.
	Value v1alpha1.Decimal
	// Err is why it failed.
	Err error
	// At is when the measurement started.
	At time.Time
	// Generation is the object's generation the measurement was made for.
	Generation int64
}

type job struct {
	key        types.NamespacedName
	generation int64
	fn         Func
}

// Runner is a manager Runnable that runs measurements with bounded
// concurrency. Its zero value is not usable: use NewRunner.
type Runner struct {
	total, perNamespace int
	newObject           func() client.Object

	mu      sync.Mutex
	ctx     context.Context // set by Start
	q       queue
	running int
	known   map[types.NamespacedName]bool // queued or running
	results map[types.NamespacedName]Result
	events  chan event.GenericEvent
}

// NewRunner returns a Runner with the given bounds (0 means the default).
// newObject makes an empty object of the reconciled kind, for events.
func NewRunner(total, perNamespace int, newObject func() client.Object) *Runner {
	if total <= 0 {
		total = DefaultTotal
	}
	if perNamespace <= 0 {
		perNamespace = DefaultPerNamespace
	}
	return &Runner{
		total: total, perNamespace: perNamespace, newObject: newObject,
		q:       queue{pending: map[string][]job{}, running: map[string]int{}},
		known:   map[types.NamespacedName]bool{},
		results: map[types.NamespacedName]Result{},
		events:  make(chan event.GenericEvent, 1024),
	}
}

// Source is the watch source that reconciles an object when its
// measurement has finished.
func (r *Runner) Source() source.Source {
	return source.Channel(r.events, &handler.EnqueueRequestForObject{})
}

// Start runs queued measurements until ctx ends; measurements in flight
// are then cancelled through their context.
func (r *Runner) Start(ctx context.Context) error {
	r.mu.Lock()
	r.ctx = ctx
	r.dispatchLocked()
	r.mu.Unlock()
	<-ctx.Done()
	return nil
}

// Submit queues a measurement of key unless one is queued, running or
// finished and not yet taken. It never blocks.
func (r *Runner) Submit(key types.NamespacedName, generation int64, fn Func) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, done := r.results[key]; done || r.known[key] {
		return
	}
	r.known[key] = true
	r.q.push(job{key: key, generation: generation, fn: fn})
	r.dispatchLocked()
}

// Busy reports whether a measurement of key is queued or running.
func (r *Runner) Busy(key types.NamespacedName) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.known[key]
}

// Result returns the finished measurement of key for generation, keeping it
// until Clear: a reconcile that fails to record it can try again. A result
// for another generation is dropped (the spec it measured is gone).
func (r *Runner) Result(key types.NamespacedName, generation int64) (Result, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res, ok := r.results[key]
	if ok && res.Generation != generation {
		delete(r.results, key)
		return Result{}, false
	}
	return res, ok
}

// Clear forgets the finished measurement of key, once recorded or once its
// object is gone.
func (r *Runner) Clear(key types.NamespacedName) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.results, key)
}

func (r *Runner) dispatchLocked() {
	if r.ctx == nil {
		return
	}
	for r.running < r.total {
		j, ok := r.q.next(r.perNamespace)
		if !ok {
			return
		}
		r.running++
		go r.run(r.ctx, j)
	}
}

func (r *Runner) run(ctx context.Context, j job) {
	v, at, err := j.fn(ctx)
	r.mu.Lock()
	r.running--
	r.q.done(j.key.Namespace)
	delete(r.known, j.key)
	r.results[j.key] = Result{Value: v, Err: err, At: at, Generation: j.generation}
	r.dispatchLocked()
	r.mu.Unlock()

	obj := r.newObject()
	obj.SetNamespace(j.key.Namespace)
	obj.SetName(j.key.Name)
	select {
	case r.events <- event.GenericEvent{Object: obj}:
	case <-ctx.Done():
	}
}
