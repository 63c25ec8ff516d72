// Package ledger is the durable record of what Momentum delivered for an
// owner (an initiative's celebrated wins, a campaign's published
// nominations): a ConfigMap in the owner's namespace that the owner does
// NOT own, so deleting and re-applying the owner from Git, or restoring it
// from a backup without its status, never publishes anything twice. The
// record is bounded; everything here is pure.
package ledger

import (
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

// Keys reads the delivered keys; a nil ConfigMap holds none.
func Keys(cm *corev1.ConfigMap) []string {
	if cm == nil || strings.TrimSpace(cm.Data[DataKey]) == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(cm.Data[DataKey], "\n"), "\n")
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
