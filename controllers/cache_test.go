package controllers_test

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	toolscache "k8s.io/client-go/tools/cache"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/ledger"
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

func TestStripConfigMapForCache(t *testing.T) {
	campaign := map[string]string{cronjobs.LabelManagedBy: cronjobs.ManagedBy, cronjobs.LabelCampaign: "heroes"}
	name := ledger.Name("RecognitionCampaign", "heroes")
	cases := map[string]struct {
		cm *corev1.ConfigMap
		// why is the annotation saying why the data went; "" when kept.
		why string
	}{
		"a ledger within bounds: kept":          {cm: ledger.Desired("culture", name, campaign, []string{"nomination/ana"})},
		"an initiative's ledger: kept":          {cm: ledger.Desired("culture", ledger.Name("Initiative", "cx"), map[string]string{cronjobs.LabelInitiative: "cx"}, []string{"win"})},
		"a ledger over the bound: data dropped": {cm: ledger.Desired("culture", name, campaign, []string{strings.Repeat("x", ledger.MaxBytes)}), why: ledger.TooLarge},
		"any other name: data dropped":          {cm: ledger.Desired("culture", "big", campaign, []string{"x"}), why: ledger.NotALedger},
		"no owner label: data dropped":          {cm: ledger.Desired("culture", name, nil, []string{"x"}), why: ledger.NotALedger},
		"binary data: dropped": {cm: &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: campaign},
			BinaryData: map[string][]byte{"b": make([]byte, 1<<20)}}, why: ledger.NotALedger},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			want := c.cm.DeepCopy()
			out, err := controllers.StripConfigMapForCache(c.cm)
			g.Expect(err).NotTo(HaveOccurred())
			cm := out.(*corev1.ConfigMap)
			g.Expect(cm.Name).To(Equal(want.Name), "the object stays, so the ledger reader sees it")
			if c.why == "" {
				g.Expect(cm.Data).To(Equal(want.Data))
				g.Expect(cm.Annotations).NotTo(HaveKey(ledger.OversizeAnnotation))
				return
			}
			g.Expect(cm.Data).To(BeNil())
			g.Expect(cm.BinaryData).To(BeNil())
			g.Expect(cm.Annotations).To(HaveKeyWithValue(ledger.OversizeAnnotation, c.why))
			_, err = ledger.Keys(cm)
			g.Expect(err).To(MatchError(ContainSubstring(c.why)), "read as a ledger: invalid, never empty")
		})
	}
}

func TestStripJobForCache(t *testing.T) {
	template := corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "deliver", Image: "x"}}}}
	owned := func(apiVersion string) []metav1.OwnerReference {
		return []metav1.OwnerReference{{APIVersion: apiVersion, Kind: "K", Name: "o", UID: "u", Controller: ptr.To(true)}}
	}
	cases := map[string]struct {
		owners   []metav1.OwnerReference
		wantKept bool
	}{
		"controlled by a Momentum kind: kept": {owners: owned(v1alpha1.GroupVersion.String()), wantKept: true},
		"controlled by a CronJob: dropped":    {owners: owned("batch/v1")},
		"not controlled: dropped":             {},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			job := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "j", OwnerReferences: c.owners}, Spec: batchv1.JobSpec{Template: *template.DeepCopy()}}
			out, err := controllers.StripJobForCache(job)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(out.(*batchv1.Job).Spec.Template.Spec.Containers != nil).To(Equal(c.wantKept))
		})
	}
}
