package testenv

import (
	"context"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// ExitAmbiguous is the exit code notify uses when the receiver may have the
// message; the delivery Jobs' pod failure policy fails the Job on it.
const ExitAmbiguous = 3

// FinishJob records a Job's outcome in its status as the Job controller
// would after its only pod (backoffLimit 0) exited with code: 0 completes
// it; ExitAmbiguous fails it through the pod failure policy (reason
// PodFailurePolicy); anything else fails it with BackoffLimitExceeded. Pods
// do not run in envtest, so tests run the pod's command themselves and
// record its outcome with this.
func FinishJob(ctx context.Context, c client.Client, job *batchv1.Job, code int, at time.Time) error {
	start, end := metav1.NewTime(at.Add(-time.Second)), metav1.NewTime(at)
	job.Status.StartTime = &start
	job.Status.Ready, job.Status.Terminating = ptr.To[int32](0), ptr.To[int32](0)
	cond := func(t batchv1.JobConditionType, reason string) batchv1.JobCondition {
		return batchv1.JobCondition{Type: t, Status: corev1.ConditionTrue, Reason: reason, LastTransitionTime: end, LastProbeTime: end}
	}
	switch code {
	case 0:
		job.Status.CompletionTime, job.Status.Succeeded = &end, 1
		job.Status.Conditions = []batchv1.JobCondition{cond(batchv1.JobSuccessCriteriaMet, batchv1.JobReasonCompletionsReached), cond(batchv1.JobComplete, batchv1.JobReasonCompletionsReached)}
	default:
		reason := batchv1.JobReasonBackoffLimitExceeded
		if code == ExitAmbiguous {
			reason = batchv1.JobReasonPodFailurePolicy
		}
		job.Status.Failed = 1
		job.Status.Conditions = []batchv1.JobCondition{cond(batchv1.JobFailureTarget, reason), cond(batchv1.JobFailed, reason)}
	}
	return c.Status().Update(ctx, job)
}
