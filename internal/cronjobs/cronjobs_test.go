package cronjobs

import (
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func delivery() Delivery {
	return Delivery{
		Name: "customer-first-weekly-why", Namespace: "culture",
		Owner:    metav1.OwnerReference{APIVersion: "culture.momentum.dev/v1alpha1", Kind: "Initiative", Name: "customer-first", UID: "u1", Controller: ptr.To(true)},
		Labels:   map[string]string{LabelInitiative: "customer-first", LabelReminder: "weekly-why"},
		Schedule: "0 9 * * MON", TimeZone: "Europe/Berlin",
		ChannelType: v1alpha1.ChannelSlack, SecretName: "all-hands-webhook",
		Kind: "reminder", Item: "weekly-why", Initiative: "culture/customer-first", Text: "Why we do this",
	}
}

// The pod of every delivery passes the restricted Pod Security Standard, as
// judged by the admission plugin's own evaluator.
func TestPodMeetsRestrictedPodSecurityStandard(t *testing.T) {
	evaluator, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	if err != nil {
		t.Fatal(err)
	}
	cj := CronJob(delivery(), Options{Image: "momentum:dev", AllowCIDRs: []string{"10.0.0.0/8"}})
	tmpl := cj.Spec.JobTemplate.Spec.Template
	results := evaluator.EvaluatePod(api.LevelVersion{Level: api.LevelRestricted, Version: api.LatestVersion()}, &tmpl.ObjectMeta, &tmpl.Spec)
	agg := policy.AggregateCheckResults(results)
	if !agg.Allowed {
		t.Fatalf("pod violates restricted PSS: %s: %s", agg.ForbiddenReason(), agg.ForbiddenDetail())
	}
	if tmpl.Spec.AutomountServiceAccountToken == nil || *tmpl.Spec.AutomountServiceAccountToken {
		t.Error("the delivery pod must not mount a service-account token")
	}
}

// A pod the evaluator would refuse is refused: the check above can fail.
func TestRestrictedCheckCanFail(t *testing.T) {
	evaluator, _ := policy.NewEvaluator(policy.DefaultChecks(), nil)
	cj := CronJob(delivery(), Options{Image: "momentum:dev"})
	tmpl := cj.Spec.JobTemplate.Spec.Template
	tmpl.Spec.Containers[0].SecurityContext.AllowPrivilegeEscalation = nil
	results := evaluator.EvaluatePod(api.LevelVersion{Level: api.LevelRestricted, Version: api.LatestVersion()}, &tmpl.ObjectMeta, &tmpl.Spec)
	if policy.AggregateCheckResults(results).Allowed {
		t.Fatal("a pod allowing privilege escalation passed the restricted check")
	}
}

func TestCronJobSettings(t *testing.T) {
	cj := CronJob(delivery(), Options{Image: "momentum:dev", AllowHTTPHosts: []string{"hooks.internal"}})
	s := cj.Spec
	checks := map[string]bool{
		"time zone":                    s.TimeZone != nil && *s.TimeZone == "Europe/Berlin",
		"concurrency Forbid":           s.ConcurrencyPolicy == "Forbid",
		"starting deadline":            s.StartingDeadlineSeconds != nil && *s.StartingDeadlineSeconds > 0,
		"bounded history":              *s.SuccessfulJobsHistoryLimit == 3 && *s.FailedJobsHistoryLimit == 3,
		"backoff limit":                *s.JobTemplate.Spec.BackoffLimit == 0,
		"ambiguous exit fails the job": s.JobTemplate.Spec.PodFailurePolicy.Rules[0].OnExitCodes.Values[0] == ExitAmbiguous,
		"run keyed by its job's name":  s.JobTemplate.Spec.Template.Spec.Containers[0].Env[0].ValueFrom.FieldRef.FieldPath == "metadata.labels['batch.kubernetes.io/job-name']",
		"active deadline":              *s.JobTemplate.Spec.ActiveDeadlineSeconds > 0,
		"ttl after finished":           *s.JobTemplate.Spec.TTLSecondsAfterFinished > 0,
		"not suspended":                !*s.Suspend,
		"labels link back":             cj.Labels[LabelInitiative] == "customer-first" && cj.Labels[LabelManagedBy] == ManagedBy,
		"job pods labelled":            s.JobTemplate.Spec.Template.Labels[LabelReminder] == "weekly-why",
		"secret mounted read-only":     s.JobTemplate.Spec.Template.Spec.Containers[0].VolumeMounts[0].ReadOnly,
		"runs notify":                  s.JobTemplate.Spec.Template.Spec.Containers[0].Args[0] == "notify",
		"policy passed to the job":     strings.Contains(strings.Join(s.JobTemplate.Spec.Template.Spec.Containers[0].Args, " "), "--allow-http-host=hooks.internal"),
		"controlled by its owner":      cj.OwnerReferences[0].Name == "customer-first" && *cj.OwnerReferences[0].Controller,
		"secret value not in the pod":  !strings.Contains(cj.String(), "https://"),
	}
	for name, ok := range checks {
		if !ok {
			t.Errorf("%s: not as expected", name)
		}
	}
}

func TestUnchangedNeedsAnExistingCronJob(t *testing.T) {
	if Unchanged(nil, CronJob(delivery(), Options{Image: "x"})) {
		t.Error("a missing CronJob counts as unchanged")
	}
	if Paused(nil) != nil {
		t.Error("a missing CronJob was paused")
	}
}

// What an apply request carries is compared, not how Go spells it.
func TestSameContent(t *testing.T) {
	base := func() *batchv1.CronJob { return CronJob(delivery(), Options{Image: "x"}) }
	tests := map[string]struct {
		// change is made to a copy of the desired CronJob.
		change func(*batchv1.CronJob)
		same   bool
	}{
		"identical":           {change: func(*batchv1.CronJob) {}, same: true},
		"server-set metadata": {change: func(c *batchv1.CronJob) { c.UID, c.ResourceVersion, c.Generation = "u", "7", 3 }, same: true},
		"status":              {change: func(c *batchv1.CronJob) { c.Status.Active = []corev1.ObjectReference{{Name: "j"}} }, same: true},
		"empty annotations":   {change: func(c *batchv1.CronJob) { c.Annotations = map[string]string{} }, same: true},
		"suspended":           {change: func(c *batchv1.CronJob) { c.Spec.Suspend = ptr.To(true) }, same: false},
		"an argument added": {change: func(c *batchv1.CronJob) {
			a := &c.Spec.JobTemplate.Spec.Template.Spec.Containers[0].Args
			*a = append(*a, "--allow-cidr=0.0.0.0/0")
		}, same: false},
		"a label changed":        {change: func(c *batchv1.CronJob) { c.Labels[LabelReminder] = "other" }, same: false},
		"the owner changed":      {change: func(c *batchv1.CronJob) { c.OwnerReferences[0].UID = "u2" }, same: false},
		"a field Momentum lacks": {change: func(c *batchv1.CronJob) { c.Spec.JobTemplate.Spec.Template.Spec.HostNetwork = true }, same: false},
		"another message": {change: func(c *batchv1.CronJob) {
			c.Spec.JobTemplate.Spec.Template.Spec.Containers[0].Env[4].Value = "now at 40%"
		}, same: false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := base()
			tc.change(got)
			if sameContent(got, base()) != tc.same {
				t.Errorf("sameContent = %v, want %v", !tc.same, tc.same)
			}
		})
	}
}
