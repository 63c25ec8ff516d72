package cronjobs

import (
	"strings"
	"testing"

	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func delivery() Delivery {
	return Delivery{
		Name: "customer-first-weekly-why", Namespace: "culture",
		Labels:   map[string]string{LabelInitiative: "customer-first", LabelReminder: "weekly-why"},
		Schedule: "0 9 * * MON", TimeZone: "Europe/Berlin",
		ChannelType: v1alpha1.ChannelSlack, SecretName: "all-hands-webhook",
		Kind: "reminder", Source: "weekly-why", Initiative: "culture/customer-first", Text: "Why we do this",
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
		"time zone":                   s.TimeZone != nil && *s.TimeZone == "Europe/Berlin",
		"concurrency Forbid":          s.ConcurrencyPolicy == "Forbid",
		"starting deadline":           s.StartingDeadlineSeconds != nil && *s.StartingDeadlineSeconds > 0,
		"bounded history":             *s.SuccessfulJobsHistoryLimit == 3 && *s.FailedJobsHistoryLimit == 3,
		"backoff limit":               *s.JobTemplate.Spec.BackoffLimit == 3,
		"active deadline":             *s.JobTemplate.Spec.ActiveDeadlineSeconds > 0,
		"ttl after finished":          *s.JobTemplate.Spec.TTLSecondsAfterFinished > 0,
		"not suspended":               !*s.Suspend,
		"labels link back":            cj.Labels[LabelInitiative] == "customer-first" && cj.Labels[LabelManagedBy] == ManagedBy,
		"job pods labelled":           s.JobTemplate.Spec.Template.Labels[LabelReminder] == "weekly-why",
		"secret mounted read-only":    s.JobTemplate.Spec.Template.Spec.Containers[0].VolumeMounts[0].ReadOnly,
		"runs notify":                 s.JobTemplate.Spec.Template.Spec.Containers[0].Args[0] == "notify",
		"policy passed to the job":    strings.Contains(strings.Join(s.JobTemplate.Spec.Template.Spec.Containers[0].Args, " "), "--allow-http-host=hooks.internal"),
		"hash annotation":             cj.Annotations[AnnotationSpecHash] != "",
		"secret value not in the pod": !strings.Contains(cj.String(), "https://"),
	}
	for name, ok := range checks {
		if !ok {
			t.Errorf("%s: not as expected", name)
		}
	}
}

func TestHashChangesOnlyWithContent(t *testing.T) {
	a, b := CronJob(delivery(), Options{Image: "x"}), CronJob(delivery(), Options{Image: "x"})
	if !Unchanged(a, b) {
		t.Error("the same delivery hashed differently")
	}
	d := delivery()
	d.Suspend = true
	if Unchanged(a, CronJob(d, Options{Image: "x"})) {
		t.Error("suspending did not change the hash")
	}
	d = delivery()
	d.Text = "Why we do this, now at 40%"
	if Unchanged(a, CronJob(d, Options{Image: "x"})) {
		t.Error("a new message did not change the hash")
	}
	if Unchanged(nil, a) {
		t.Error("a missing CronJob counts as unchanged")
	}
}

func TestName(t *testing.T) {
	tests := map[string]struct {
		parts []string
		want  string
	}{
		"short":                  {[]string{"customer-first", "weekly-why"}, "customer-first-weekly-why"},
		"long is cut and hashed": {[]string{strings.Repeat("a", 40), strings.Repeat("b", 30)}, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := Name(tc.parts...)
			if len(got) > 52 {
				t.Fatalf("Name = %q (%d chars), want at most 52", got, len(got))
			}
			if tc.want != "" && got != tc.want {
				t.Errorf("Name = %q, want %q", got, tc.want)
			}
			if got != Name(tc.parts...) {
				t.Error("Name is not deterministic")
			}
		})
	}
	if Name(strings.Repeat("a", 60), "x") == Name(strings.Repeat("a", 60), "y") {
		t.Error("different long names collided")
	}
}

func TestDNSName(t *testing.T) {
	a, b := DNSName("customer-first", "stage-Initiation"), DNSName("customer-first", "stage-initiation")
	if a == b {
		t.Errorf("names differing in case collided: %s", a)
	}
	if strings.ToLower(a) != a || len(a) > 52 {
		t.Errorf("DNSName = %q: want lower case, at most 52 characters", a)
	}
	if b != "customer-first-stage-initiation" {
		t.Errorf("an already valid name changed: %s", b)
	}
	if long := DNSName(strings.Repeat("A", 80)); len(long) > 52 || long != strings.ToLower(long) {
		t.Errorf("DNSName(long) = %q", long)
	}
}
