// Package cronjobs builds the desired CronJobs (and their pods) that deliver
// Momentum's messages: reminders and recognition spotlights. Everything here
// is a pure function of its inputs; the controllers apply the result.
package cronjobs

import (
	"maps"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// Labels and annotations on everything Momentum schedules.
const (
	// LabelManagedBy marks objects Momentum owns; the manager caches only those.
	LabelManagedBy = "app.kubernetes.io/managed-by"
	// ManagedBy is the value of LabelManagedBy.
	ManagedBy = "momentum"
	// LabelInitiative names the initiative a delivery belongs to.
	LabelInitiative = "culture.momentum.dev/initiative"
	// LabelReminder names the reminder a delivery belongs to.
	LabelReminder = "culture.momentum.dev/reminder"
	// LabelCampaign names the recognition campaign a delivery belongs to.
	LabelCampaign = "culture.momentum.dev/campaign"
	// LabelCelebration marks one-off celebration Jobs.
	LabelCelebration = "culture.momentum.dev/celebration"
	// AnnotationWin is the key of the quick win a celebration Job posts.
	AnnotationWin = "culture.momentum.dev/win"
	// AnnotationAttempt is the attempt number of a celebration Job (1 when absent).
	AnnotationAttempt = "culture.momentum.dev/attempt"
	// AnnotationNominations lists, on a spotlight's job template, the
	// nominations its digest publishes.
	AnnotationNominations = "culture.momentum.dev/nominations"
	// AnnotationDigest is the key of the spotlight digest a Job posts.
	AnnotationDigest = "culture.momentum.dev/digest"
	// FieldOwner is the server-side apply field manager of the controllers.
	FieldOwner = "momentum"
)

// Options are the manager's settings for every delivery pod.
type Options struct {
	// Image runs `notify`; it is the manager's own image.
	Image string
	// AllowHTTPHosts and AllowCIDRs relax the outbound policy, as the
	// manager was told to.
	AllowHTTPHosts []string
	AllowCIDRs     []string
}

// Delivery is one scheduled message.
type Delivery struct {
	// Name is the CronJob's name (see internal/names); Namespace its namespace.
	Name, Namespace string
	// Owner is the controller reference to the object the delivery belongs to.
	Owner metav1.OwnerReference
	// Labels identify the owner (initiative, reminder or campaign).
	Labels map[string]string
	// Annotations go on the job template (e.g. the nominations published).
	Annotations map[string]string
	// Schedule and TimeZone of the CronJob.
	Schedule, TimeZone string
	// Suspend pauses the CronJob without deleting it.
	Suspend bool
	// Channel is where to deliver.
	ChannelType v1alpha1.ChannelType
	SecretName  string
	// Message and the envelope the notify command sends: Kind is
	// "reminder", "celebration" or "spotlight"; Item names what is
	// delivered (the reminder, the win's key, the campaign).
	Kind, Title, Text, Initiative, Item string
	// Key is the delivery's idempotency key, the same for every attempt;
	// empty for a CronJob, whose runs are keyed by their Job's name.
	Key string
}

// batchAPIVersion is the API version of the CronJobs and Jobs built here.
const batchAPIVersion = "batch/v1"

// Settings every delivery CronJob gets.
const (
	startingDeadlineSeconds = 300 // a run missed by more than 5 minutes is skipped, not replayed late
	historyLimit            = 3
	// backoffLimit is 0: a pod that failed may have posted (see
	// notify.ExitAmbiguous), so the Job controller never starts another;
	// the manager decides whether a new attempt is safe.
	backoffLimit          = 0
	activeDeadlineSeconds = 300
	ttlAfterFinished      = 7 * 24 * 3600 // finished Jobs stay a week for `kubectl logs`

	secretMountPath = "/etc/momentum/channel"
	nonRootUID      = 65532
)

// CronJob returns the desired CronJob for a delivery, controlled by its owner.
func CronJob(d Delivery, o Options) *batchv1.CronJob {
	labels := labelsOf(d)
	return &batchv1.CronJob{
		TypeMeta:   metav1.TypeMeta{APIVersion: batchAPIVersion, Kind: "CronJob"},
		ObjectMeta: metav1.ObjectMeta{Name: d.Name, Namespace: d.Namespace, Labels: labels, OwnerReferences: []metav1.OwnerReference{d.Owner}},
		Spec: batchv1.CronJobSpec{
			Schedule:                   d.Schedule,
			TimeZone:                   timeZone(d.TimeZone),
			ConcurrencyPolicy:          batchv1.ForbidConcurrent,
			StartingDeadlineSeconds:    ptr.To[int64](startingDeadlineSeconds),
			Suspend:                    ptr.To(d.Suspend),
			SuccessfulJobsHistoryLimit: ptr.To[int32](historyLimit),
			FailedJobsHistoryLimit:     ptr.To[int32](historyLimit),
			JobTemplate: batchv1.JobTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels, Annotations: d.Annotations},
				Spec:       jobSpec(d, o, labels),
			},
		},
	}
}

// Job returns a one-off Job that delivers d now (a celebration), controlled
// by its owner. Its name is the caller's deterministic one: creating it
// twice fails, so a win is posted at most once.
func Job(d Delivery, o Options) *batchv1.Job {
	labels := labelsOf(d)
	return &batchv1.Job{
		TypeMeta: metav1.TypeMeta{APIVersion: batchAPIVersion, Kind: "Job"},
		ObjectMeta: metav1.ObjectMeta{Name: d.Name, Namespace: d.Namespace, Labels: labels, Annotations: d.Annotations,
			OwnerReferences: []metav1.OwnerReference{d.Owner}},
		Spec: jobSpec(d, o, labels),
	}
}

// labelsOf are the labels of a delivery's CronJob or Job and its pods:
// Momentum's, and the owner's.
func labelsOf(d Delivery) map[string]string {
	labels := map[string]string{LabelManagedBy: ManagedBy}
	maps.Copy(labels, d.Labels)
	return labels
}

// jobSpec is the spec of every delivery Job, scheduled or one-off: bounded
// retries and run time, cleaned up after it finishes.
func jobSpec(d Delivery, o Options, labels map[string]string) batchv1.JobSpec {
	return batchv1.JobSpec{
		BackoffLimit:            ptr.To[int32](backoffLimit),
		PodFailurePolicy:        podFailurePolicy(),
		ActiveDeadlineSeconds:   ptr.To[int64](activeDeadlineSeconds),
		TTLSecondsAfterFinished: ptr.To[int32](ttlAfterFinished),
		Template: corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: labels},
			Spec:       PodSpec(d, o),
		},
	}
}

// PodSpec is the pod that delivers d: the manager image running `notify`,
// with the channel's Secret mounted read-only. It meets the restricted Pod
// Security Standard and mounts no service-account token: it needs no API access.
func PodSpec(d Delivery, o Options) corev1.PodSpec {
	args := make([]string, 0, 3+len(o.AllowHTTPHosts)+len(o.AllowCIDRs))
	args = append(args, "notify", "--type="+string(d.ChannelType), "--secret-dir="+secretMountPath)
	for _, h := range o.AllowHTTPHosts {
		args = append(args, "--allow-http-host="+h)
	}
	for _, c := range o.AllowCIDRs {
		args = append(args, "--allow-cidr="+c)
	}
	return corev1.PodSpec{
		RestartPolicy:                corev1.RestartPolicyNever,
		AutomountServiceAccountToken: ptr.To(false),
		EnableServiceLinks:           ptr.To(false),
		SecurityContext: &corev1.PodSecurityContext{
			RunAsNonRoot:   ptr.To(true),
			RunAsUser:      ptr.To[int64](nonRootUID),
			RunAsGroup:     ptr.To[int64](nonRootUID),
			FSGroup:        ptr.To[int64](nonRootUID), // lets the non-root user read the Secret files
			SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
		},
		Containers: []corev1.Container{{
			Name:  "notify",
			Image: o.Image,
			Args:  args,
			Env: []corev1.EnvVar{
				idempotencyKey(d.Key),
				{Name: "MOMENTUM_KIND", Value: d.Kind},
				{Name: "MOMENTUM_NAME", Value: d.Item},
				{Name: "MOMENTUM_INITIATIVE", Value: d.Initiative},
				{Name: "MOMENTUM_TITLE", Value: d.Title},
				{Name: "MOMENTUM_MESSAGE", Value: d.Text},
			},
			SecurityContext: &corev1.SecurityContext{
				AllowPrivilegeEscalation: ptr.To(false),
				ReadOnlyRootFilesystem:   ptr.To(true),
				RunAsNonRoot:             ptr.To(true),
				Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
				SeccompProfile:           &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
			},
			Resources: corev1.ResourceRequirements{
				Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("10m"), corev1.ResourceMemory: resource.MustParse("16Mi")},
				Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("64Mi")},
			},
			VolumeMounts: []corev1.VolumeMount{{Name: "channel", MountPath: secretMountPath, ReadOnly: true}},
		}},
		Volumes: []corev1.Volume{{
			Name: "channel",
			VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{
				SecretName:  d.SecretName,
				DefaultMode: ptr.To[int32](0o440),
			}},
		}},
	}
}

// ExitAmbiguous is notify's exit code when the receiver may have the
// message (notify.ExitAmbiguous; cronjobs cannot import notify).
const ExitAmbiguous = 3

// ReasonAmbiguous is the reason of the Failed condition of a Job whose pod
// exited ExitAmbiguous: the Job controller's reason for a pod failure
// policy's FailJob rule.
const ReasonAmbiguous = batchv1.JobReasonPodFailurePolicy

// podFailurePolicy fails the Job with reason PodFailurePolicy when notify
// says the receiver may have the message, so that the manager can tell it
// from a clear failure (reason BackoffLimitExceeded), which is safe to try
// again.
func podFailurePolicy() *batchv1.PodFailurePolicy {
	return &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{{
		Action:      batchv1.PodFailurePolicyActionFailJob,
		OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{Operator: batchv1.PodFailurePolicyOnExitCodesOpIn, Values: []int32{ExitAmbiguous}},
	}}}
}

// idempotencyKey is the key notify sends: the delivery's own, or, for a
// CronJob's run, the name of the Job the CronJob controller created.
func idempotencyKey(key string) corev1.EnvVar {
	if key != "" {
		return corev1.EnvVar{Name: "MOMENTUM_IDEMPOTENCY_KEY", Value: key}
	}
	return corev1.EnvVar{Name: "MOMENTUM_IDEMPOTENCY_KEY", ValueFrom: &corev1.EnvVarSource{
		FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.labels['" + batchv1.JobNameLabel + "']"},
	}}
}

func timeZone(tz string) *string {
	if tz == "" {
		return nil
	}
	return &tz
}

// JobTTL is how long a finished delivery Job stays before it is deleted.
const JobTTL = ttlAfterFinished * time.Second
