package controllers

import (
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	toolscache "k8s.io/client-go/tools/cache"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/ledger"
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

// StripConfigMapForCache is the cache's transform for ConfigMaps labelled
// as Momentum's: any tenant can label one, so only a delivery ledger (named
// after the owner its label names) within ledger.MaxBytes keeps its data.
// Any other keeps its metadata and an annotation saying why its data went:
// read as a ledger, it is reported invalid, never taken as empty.
func StripConfigMapForCache(in any) (any, error) {
	in, err := StripForCache(false)(in)
	cm, ok := in.(*corev1.ConfigMap)
	if err != nil || !ok {
		return in, err
	}
	why := ""
	switch {
	case !looksLikeLedger(cm):
		why = ledger.NotALedger
	case ledger.Size(cm) > ledger.MaxBytes:
		why = ledger.TooLarge
	default:
		return cm, nil
	}
	cm.Data, cm.BinaryData = nil, nil
	if cm.Annotations == nil {
		cm.Annotations = map[string]string{}
	}
	cm.Annotations[ledger.OversizeAnnotation] = why
	return cm, nil
}

// looksLikeLedger says whether cm is named as the ledger of the campaign or
// initiative its label names, and holds only the ledger's key.
func looksLikeLedger(cm *corev1.ConfigMap) bool {
	if len(cm.BinaryData) > 0 || len(cm.Data) > 1 {
		return false
	}
	if n := cm.Labels[cronjobs.LabelCampaign]; n != "" && cm.Name == ledger.Name("RecognitionCampaign", n) {
		return true
	}
	n := cm.Labels[cronjobs.LabelInitiative]
	return n != "" && cm.Name == ledger.Name("Initiative", n)
}

// StripJobForCache is the cache's transform for Jobs labelled as
// Momentum's: one no Momentum kind controls is never acted on, so its pod
// template (up to a MiB a tenant chooses) is not kept.
func StripJobForCache(in any) (any, error) {
	in, err := StripForCache(false)(in)
	job, ok := in.(*batchv1.Job)
	if err != nil || !ok {
		return in, err
	}
	if ref := metav1.GetControllerOf(job); ref == nil || !strings.HasPrefix(ref.APIVersion, v1alpha1.GroupVersion.Group+"/") {
		job.Spec.Template = corev1.PodTemplateSpec{}
	}
	return job, nil
}
