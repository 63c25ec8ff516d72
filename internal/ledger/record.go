package ledger

import (
	"context"
	"errors"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/momentum-dev/momentum/internal/ssa"
)

// Target is the ledger a write goes to.
type Target struct {
	// Namespace and Name are the ledger ConfigMap's.
	Namespace, Name string
	// Labels are the ledger's: Momentum's and its owner's name.
	Labels map[string]string
	// What the ledger records ("celebrations"), for errors and logs.
	What string
}

// errNotCached says the ledger exists but the cache has not seen it yet.
var errNotCached = errors.New("the ledger exists but is not in the cache yet")

// Record writes change to the ledger cm (nil when there is none yet):
// created if missing, else patched against the version read, so a stale
// cache conflicts instead of losing a key. A ledger that cannot be read is
// not written (the decision reports it, LedgerInvalid, and records
// nothing); a name held by a ConfigMap without the ledger's labels is a
// *ssa.NameTaken. It reports whether anything changed.
func Record(ctx context.Context, c client.Client, r client.Reader, cm *corev1.ConfigMap, t Target, change Change) (bool, error) {
	keys, err := Keys(cm)
	if err != nil {
		return false, nil
	}
	all, changed := Apply(keys, change)
	if !changed {
		return false, nil
	}
	desired := Desired(t.Namespace, t.Name, t.Labels, all)
	if cm == nil {
		if err = c.Create(ctx, desired); apierrors.IsAlreadyExists(err) {
			err = ssa.Unowned(ctx, r, "ConfigMap", &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: t.Namespace, Name: t.Name}}, t.Labels)
			if err == nil {
				err = errNotCached
			}
		}
	} else {
		patched := cm.DeepCopy()
		patched.Data = desired.Data
		err = c.Patch(ctx, patched, client.MergeFromWithOptions(cm, client.MergeFromWithOptimisticLock{}))
	}
	if err != nil {
		return false, fmt.Errorf("recording %s in ConfigMap %s: %w", t.What, t.Name, err)
	}
	logf.FromContext(ctx).Info("Recorded "+t.What+" in the ledger", "configmap", t.Name, "outcomes", change.Record, "claimed", change.Claim)
	return true, nil
}
