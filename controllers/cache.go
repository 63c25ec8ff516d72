package controllers

import (
	"k8s.io/apimachinery/pkg/api/meta"
	toolscache "k8s.io/client-go/tools/cache"
)

// LastAppliedAnnotation is where `kubectl apply` (client-side) keeps a copy
// of the whole object it applied.
const LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// StripForCache is the cache's transform for every kind: it drops what no
// controller reads before the object is stored, so that the cache holds one
// copy of what matters and not three. The managedFields go (unless
// keepManagedFields: server-side apply compares a CronJob with the fields
// Momentum's field owner manages), and so does the last-applied
// annotation, a second copy of the object's spec.
func StripForCache(keepManagedFields bool) toolscache.TransformFunc {
	return func(in any) (any, error) {
		obj, err := meta.Accessor(in)
		if err != nil {
			return in, nil // a tombstone or another wrapper: stored as it is
		}
		if !keepManagedFields && obj.GetManagedFields() != nil {
			obj.SetManagedFields(nil)
		}
		if a := obj.GetAnnotations(); a[LastAppliedAnnotation] != "" {
			delete(a, LastAppliedAnnotation)
			if len(a) == 0 {
				a = nil
			}
			obj.SetAnnotations(a)
		}
		return in, nil
	}
}
