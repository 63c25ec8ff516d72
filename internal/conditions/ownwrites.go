package conditions

import (
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// StaleRetry is how soon a reconcile that read an object its own status
// write has not reached yet in the cache runs again.
const StaleRetry = 200 * time.Millisecond

// OwnWrites remembers, for each object whose status a reconciler wrote, the
// resourceVersion that write replaced. An event on another object (an
// indicator, a Channel) may reconcile the object again before the cache has
// seen the write: deciding on that stale copy would lose the write race
// (a 409, and a retry a second later) or, worse, decide on old status. The
// zero value is ready to use; a nil *OwnWrites remembers nothing.
type OwnWrites struct {
	mu       sync.Mutex
	replaced map[types.UID]string
}

// Wrote records that before's status was just replaced by a write.
func (w *OwnWrites) Wrote(before client.Object) {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.replaced == nil {
		w.replaced = map[types.UID]string{}
	}
	w.replaced[before.GetUID()] = before.GetResourceVersion()
}

// Stale reports whether obj, read from the cache, is the version an own
// write already replaced: the caller retries after StaleRetry. Once the
// cache holds a newer version, the record is dropped.
func (w *OwnWrites) Stale(obj client.Object) bool {
	if w == nil {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	rv, ok := w.replaced[obj.GetUID()]
	if ok && rv == obj.GetResourceVersion() {
		return true
	}
	delete(w.replaced, obj.GetUID())
	return false
}
