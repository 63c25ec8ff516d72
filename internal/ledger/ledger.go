// Package ledger is the durable record of what Momentum delivered for an
// owner (an initiative's celebrated wins, a campaign's published
// nominations): a ConfigMap in the owner's namespace that the owner does
// NOT own, so deleting and re-applying the owner from Git, or restoring it
// from a backup without its status, never publishes anything twice. The
// record is bounded; everything here is pure.
package ledger

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/internal/names"
)

// DataKey holds the delivered keys, one a line, oldest first.
const DataKey = "delivered"

// MaxKeys bounds the record (well inside a ConfigMap's 1 MiB): the oldest
// keys are forgotten first.
const MaxKeys = 2000

// Name is the ledger ConfigMap of an owner.
func Name(ownerKind, ownerName string) string {
	return names.Job(names.Child{OwnerKind: ownerKind, OwnerName: ownerName, Role: names.RoleLedger})
}

// MaxBytes bounds what is read of a ledger: MaxKeys outcome keys plus as
// many claims, each well under 128 bytes. The ConfigMap sits in the
// tenant's namespace, so a larger one was not written by Momentum.
const MaxBytes = 256 << 10

// maxReadKeys bounds the keys read: MaxKeys outcomes plus the claims of
// digests under way, which are never trimmed.
const maxReadKeys = 2 * MaxKeys

// OversizeAnnotation marks a ConfigMap whose data the manager's cache
// dropped (over MaxBytes, or not a ledger), saying why: reading it reports
// Invalid, never an empty ledger (which would deliver everything again).
const OversizeAnnotation = "culture.momentum.dev/ledger-oversize"

// TooLarge and NotALedger are why a ledger's data was dropped.
var (
	TooLarge   = fmt.Sprintf("holds more than %d bytes", MaxBytes)
	NotALedger = "is labelled as Momentum's but does not look like a delivery ledger"
)

// Invalid is a ledger Momentum cannot have written: too large to read.
type Invalid struct {
	Name, Why string
}

func (e *Invalid) Error() string {
	return fmt.Sprintf("the delivery ledger ConfigMap %s %s; nothing is delivered while it stands: "+
		"delete the ConfigMap's extra keys (or the ConfigMap, accepting that what it recorded may be delivered again)", e.Name, e.Why)
}

// Keys reads the delivered keys; a nil ConfigMap holds none. A ledger over
// MaxBytes or holding more keys than Momentum ever writes is Invalid: the
// work of every decision stays bounded.
func Keys(cm *corev1.ConfigMap) ([]string, error) {
	if cm == nil {
		return nil, nil
	}
	if why := cm.Annotations[OversizeAnnotation]; why != "" {
		return nil, &Invalid{Name: cm.Name, Why: why}
	}
	if Size(cm) > MaxBytes {
		return nil, &Invalid{Name: cm.Name, Why: TooLarge}
	}
	data := cm.Data[DataKey]
	if strings.TrimSpace(data) == "" {
		return nil, nil
	}
	if n := strings.Count(data, "\n"); n > maxReadKeys {
		return nil, &Invalid{Name: cm.Name, Why: fmt.Sprintf("holds %d keys, more than the %d Momentum keeps", n, maxReadKeys)}
	}
	return strings.Split(strings.TrimSuffix(data, "\n"), "\n"), nil
}

// Size is the bytes of a ConfigMap's data, keys and values.
func Size(cm *corev1.ConfigMap) int {
	n := 0
	for k, v := range cm.Data {
		n += len(k) + len(v)
	}
	for k, v := range cm.BinaryData {
		n += len(k) + len(v)
	}
	return n
}

// Add returns keys with the new ones appended (each once, in order), the
// oldest dropped beyond MaxKeys, and whether anything was added.
func Add(keys, add []string) ([]string, bool) {
	return Apply(keys, Change{Record: add})
}

// Desired is the ledger ConfigMap holding keys.
func Desired(namespace, name string, labels map[string]string, keys []string) *corev1.ConfigMap {
	return &corev1.ConfigMap{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name, Labels: labels},
		Data:       map[string]string{DataKey: strings.Join(keys, "\n") + "\n"},
	}
}
