package initiative

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/celebrate"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/delivery"
)

func TestPlanDeliveries(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC)
	obj := &v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{Name: "customer-first", Namespace: "culture", UID: "u1"},
		Status: v1alpha1.InitiativeStatus{Celebrations: &v1alpha1.CelebrationStatus{}}}
	job := func(win, attempt string, cond batchv1.JobConditionType, reason string) batchv1.Job {
		j := batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: win + attempt, Namespace: "culture",
			Annotations:     map[string]string{cronjobs.AnnotationWin: win, cronjobs.AnnotationAttempt: attempt},
			Labels:          map[string]string{cronjobs.LabelInitiative: "customer-first", batchv1.JobNameLabel: win + attempt},
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(obj, initiativeKind)}}}
		j.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{batchv1.ControllerUidLabel: "x"}}
		j.Spec.Template.Labels = map[string]string{batchv1.ControllerUidLabel: "x", cronjobs.LabelInitiative: "customer-first"}
		j.Spec.Template.Spec.Containers = []corev1.Container{{Name: "forged", Image: "evil", Env: []corev1.EnvVar{{Name: "MOMENTUM_TITLE", Value: "Stage A reached"}}}}
		if cond != "" {
			j.Status.Conditions = []batchv1.JobCondition{{Type: cond, Status: corev1.ConditionTrue, Reason: reason, LastTransitionTime: metav1.NewTime(t0)}}
		}
		return j
	}
	p := delivery.Policy{Attempts: 2, Backoff: time.Minute}
	tests := map[string]struct {
		jobs      []batchv1.Job
		delivered []string // already in the ledger
		now       time.Time
		want      deliveryPlan
		retries   []string // names of the new attempts
	}{
		"succeeded: to the ledger":       {jobs: []batchv1.Job{job("stage-A", "1", batchv1.JobComplete, "")}, now: t0, want: deliveryPlan{delivered: []string{"stage-A"}}},
		"already in the ledger: nothing": {jobs: []batchv1.Job{job("stage-A", "1", batchv1.JobComplete, "")}, delivered: []string{"stage-A"}, now: t0},
		"running: nothing":               {jobs: []batchv1.Job{job("stage-A", "1", "", "")}, now: t0},
		"clear failure, backoff running": {jobs: []batchv1.Job{job("stage-A", "1", batchv1.JobFailed, batchv1.JobReasonBackoffLimitExceeded)}, now: t0, want: deliveryPlan{retryAt: t0.Add(time.Minute)}},
		"clear failure, backoff over":    {jobs: []batchv1.Job{job("stage-A", "1", batchv1.JobFailed, batchv1.JobReasonBackoffLimitExceeded)}, now: t0.Add(time.Minute), retries: []string{celebrationAttemptName("customer-first", "stage-A", 2)}},
		"ambiguous: failing":             {jobs: []batchv1.Job{job("stage-A", "1", batchv1.JobFailed, batchv1.JobReasonPodFailurePolicy)}, now: t0, want: deliveryPlan{failing: []string{"stage-A"}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			o := obj.DeepCopy()
			channel := &v1alpha1.Channel{ObjectMeta: metav1.ObjectMeta{Name: "wins"}, Spec: v1alpha1.ChannelSpec{Type: v1alpha1.ChannelSlack, SecretRef: v1alpha1.LocalObjectReference{Name: "s"}}}
			build := func(w celebrate.Win, n int) *batchv1.Job { return celebrationJob(o, channel, w, n, cronjobs.Options{}) }
			got := planDeliveries(o, tc.jobs, tc.delivered, p, build, tc.now)
			failed, _ := recordGivenUp(o, o.Status.Celebrations, got.gaveUp)
			var names []string
			for _, j := range got.retries {
				names = append(names, j.Name)
				g.Expect(j.Spec.Selector).To(BeNil(), "the API server sets the selector")
				g.Expect(j.Spec.Template.Labels).NotTo(HaveKey(batchv1.ControllerUidLabel))
				g.Expect(j.Labels).NotTo(HaveKey(batchv1.JobNameLabel))
				g.Expect(j.Annotations).To(HaveKeyWithValue(cronjobs.AnnotationAttempt, "2"))
				first := build(celebrate.Win{Key: "stage-A", Title: "Stage A reached"}, 1)
				g.Expect(j.Spec.Template.Spec).To(Equal(first.Spec.Template.Spec), "built as the first attempt, never copied from a live Job")
			}
			g.Expect(names).To(Equal(tc.retries))
			g.Expect(got.celebrated).To(HaveLen(len(tc.want.delivered)), "Celebrated once delivered")
			got.retries, got.celebrated = nil, nil
			g.Expect(got.gaveUp).To(HaveLen(len(tc.want.failing)))
			got.gaveUp = nil
			g.Expect(got).To(Equal(tc.want))
			g.Expect(failed.Failed).To(Equal(tc.want.failing))
		})
	}
}
