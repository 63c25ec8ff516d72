package controllers_test

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/names"
)

// ---- The children Momentum creates: CronJobs, Jobs and what they carry.

// reminderCronJob is the name of an initiative's reminder CronJob.
func reminderCronJob(initiativeName, reminder string) string {
	return names.CronJob(names.Child{OwnerKind: "Initiative", OwnerName: initiativeName, Role: names.RoleReminder, Key: reminder})
}

// weeklyWhyCronJob is the CronJob of customer-first's weeklyWhy reminder.
var weeklyWhyCronJob = reminderCronJob("customer-first", "weekly-why")

// onlyCronJob returns the one CronJob of a namespace (tests make one).
func onlyCronJob(g Gomega, ns string) *batchv1.CronJob {
	list := &batchv1.CronJobList{}
	g.Expect(k8s.List(context.Background(), list, client.InNamespace(ns))).To(Succeed())
	g.Expect(list.Items).To(HaveLen(1))
	return &list.Items[0]
}

func celebrationJobs(g Gomega, ns string) map[string]string {
	jobs := &batchv1.JobList{}
	g.Expect(k8s.List(context.Background(), jobs, client.InNamespace(ns), client.MatchingLabels{cronjobs.LabelCelebration: "true"})).To(Succeed())
	wins := map[string]string{}
	for _, j := range jobs.Items {
		wins[j.Annotations[cronjobs.AnnotationWin]] = j.Name
	}
	return wins
}

func message(cj *batchv1.CronJob) string {
	for _, e := range cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0].Env {
		if e.Name == "MOMENTUM_MESSAGE" {
			return e.Value
		}
	}
	return ""
}

// finish records a Job's outcome the way the Job controller would.
func finish(t *testing.T, job *batchv1.Job, ok bool, at time.Time) {
	t.Helper()
	start, end := metav1.NewTime(at.Add(-time.Minute)), metav1.NewTime(at)
	job.Status.StartTime = &start
	if ok {
		job.Status.CompletionTime, job.Status.Succeeded = &end, 1
		job.Status.Conditions = []batchv1.JobCondition{
			{Type: batchv1.JobSuccessCriteriaMet, Status: corev1.ConditionTrue, LastTransitionTime: end},
			{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: end},
		}
	} else {
		job.Status.Failed = 1
		job.Status.Conditions = []batchv1.JobCondition{
			{Type: batchv1.JobFailureTarget, Status: corev1.ConditionTrue, LastTransitionTime: end},
			{Type: batchv1.JobFailed, Status: corev1.ConditionTrue, LastTransitionTime: end},
		}
	}
	job.Status.Ready = ptr.To[int32](0)
	job.Status.Terminating = ptr.To[int32](0)
	if err := k8s.Status().Update(context.Background(), job); err != nil {
		t.Fatalf("recording job outcome: %v", err)
	}
}
