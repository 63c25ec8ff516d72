package initiative

import (
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/stages"
)

// t0 is the time the pure tests of this package run at: a Friday, 16:00 UTC.
var t0 = time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC)

// fixture is an initiative in its first stage with the given reminders.
func fixture(reminders ...v1alpha1.Reminder) *v1alpha1.Initiative {
	obj := &v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "customer-first", UID: "u1", Generation: 1}}
	obj.Spec.Why = "Customers first"
	obj.Spec.Reminders = reminders
	obj.Status.Stage = "Initiation"
	return obj
}

// daily is a reminder at 09:00 every day to the channel named.
func daily(name, channel string) v1alpha1.Reminder {
	return v1alpha1.Reminder{Name: name, Schedule: "0 9 * * *", Channel: channel, Message: "{{ .Name }} is in {{ .Stage }}"}
}

// withChannels is what a reconcile reads when the named Channels exist and
// are Ready, and the ones in notReady exist but are not.
func withChannels(ready []string, notReady ...string) inputs {
	ch := inputs{channels: map[string]*v1alpha1.Channel{}, notReady: map[string]bool{}, cronJobs: map[string]*batchv1.CronJob{}, taken: map[string]string{}}
	for _, n := range append(append([]string(nil), ready...), notReady...) {
		ch.channels[n] = &v1alpha1.Channel{ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: n},
			Spec: v1alpha1.ChannelSpec{Type: v1alpha1.ChannelSlack, SecretRef: v1alpha1.LocalObjectReference{Name: n + "-webhook"}}}
	}
	for _, n := range notReady {
		ch.notReady[n] = true
	}
	return ch
}

// finished is a Job of a reminder that completed (or failed) at at.
func finished(reminder string, failed bool, at time.Time) batchv1.Job {
	cond := batchv1.JobComplete
	if failed {
		cond = batchv1.JobFailed
	}
	return batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: reminder + at.Format("1504"), Labels: map[string]string{cronjobs.LabelReminder: reminder}},
		Status: batchv1.JobStatus{Conditions: []batchv1.JobCondition{{Type: cond, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(at)}}}}
}

// stagesOutcome is a stage decision that stays in stage, entered an hour ago.
func stagesOutcome(stage string) stages.Outcome {
	return stages.Outcome{Stage: stage, EnteredAt: metav1.NewTime(t0.Add(-time.Hour))}
}
