package controllers_test

import (
	"testing"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	toolscache "k8s.io/client-go/tools/cache"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers"
)

func TestStripForCache(t *testing.T) {
	fields := []metav1.ManagedFieldsEntry{{Manager: "kubectl", Operation: metav1.ManagedFieldsOperationApply}}
	meta := func(annotations map[string]string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Name: "a", ManagedFields: fields, Annotations: annotations}
	}
	applied := map[string]string{controllers.LastAppliedAnnotation: `{"spec":{}}`}
	cases := map[string]struct {
		in              any
		keep            bool
		wantFields      bool
		wantAnnotations map[string]string
	}{
		"own kind: both go": {
			in: &v1alpha1.Initiative{ObjectMeta: meta(map[string]string{controllers.LastAppliedAnnotation: "{}"})},
		},
		"other annotations stay": {
			in:              &v1alpha1.LeadingIndicator{ObjectMeta: meta(map[string]string{controllers.LastAppliedAnnotation: "{}", "team": "cx"})},
			wantAnnotations: map[string]string{"team": "cx"},
		},
		"a CronJob keeps its managedFields": {
			in: &batchv1.CronJob{ObjectMeta: meta(applied)}, keep: true, wantFields: true,
		},
		"nothing to strip": {
			in: &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "a"}},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			out, err := controllers.StripForCache(c.keep)(c.in)
			g.Expect(err).NotTo(HaveOccurred())
			obj := out.(metav1.Object)
			g.Expect(obj.GetManagedFields() != nil).To(Equal(c.wantFields))
			g.Expect(obj.GetAnnotations()).To(Equal(c.wantAnnotations))
		})
	}
	t.Run("a tombstone passes unchanged", func(t *testing.T) {
		g := NewWithT(t)
		tomb := toolscache.DeletedFinalStateUnknown{Key: "ns/a"}
		g.Expect(controllers.StripForCache(false)(tomb)).To(Equal(tomb))
	})
}
