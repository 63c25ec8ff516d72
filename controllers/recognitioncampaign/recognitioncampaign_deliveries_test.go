package recognitioncampaign

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/delivery"
	"github.com/momentum-dev/momentum/internal/spotlight"
)

var t0 = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)

func testCampaign() *v1alpha1.RecognitionCampaign {
	return &v1alpha1.RecognitionCampaign{ObjectMeta: metav1.ObjectMeta{Name: "heroes", Namespace: "culture", UID: "u1",
		CreationTimestamp: metav1.NewTime(t0.Add(-30 * 24 * time.Hour))}}
}

// digestAttempt is attempt n of the digest of tick, posting noms, finished
// at t0 as cond says ("" while it runs).
func digestAttempt(obj *v1alpha1.RecognitionCampaign, tick string, n int, noms string, cond batchv1.JobConditionType, reason string) batchv1.Job {
	j := batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: digestJobName(obj.Name, tick, n), Namespace: obj.Namespace,
		Annotations:     map[string]string{cronjobs.AnnotationDigest: tick, cronjobs.AnnotationAttempt: strconv.Itoa(n), cronjobs.AnnotationNominations: noms},
		Labels:          map[string]string{cronjobs.LabelCampaign: obj.Name, batchv1.JobNameLabel: "x"},
		OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(obj, campaignKind)}}}
	j.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{batchv1.ControllerUidLabel: "x"}}
	j.Spec.Template.Labels = map[string]string{batchv1.ControllerUidLabel: "x", cronjobs.LabelCampaign: obj.Name}
	if cond != "" {
		j.Status.Conditions = []batchv1.JobCondition{{Type: cond, Status: corev1.ConditionTrue, Reason: reason, LastTransitionTime: metav1.NewTime(t0)}}
	}
	return j
}

// planCase is attempts of one digest and what planAttempts makes of them.
type planCase struct {
	jobs []batchv1.Job
	// done are the ledger's keys.
	done []string
	now  time.Time
	// want is the plan, but its retries and events.
	want attemptPlan
	// retries are the new attempts; events their reasons.
	retries []retry
	events  []string
}

// Attempts of the digest of planTick, of testCampaign.
const (
	planTick  = "20261120t1500z"
	clear     = batchv1.JobReasonBackoffLimitExceeded
	ambiguous = batchv1.JobReasonPodFailurePolicy
)

var planObj = testCampaign()

// planCases are the attempts TestPlanAttempts plans for.
var planCases = map[string]planCase{
	"delivered: the digest and its nominations to the ledger": {
		jobs: []batchv1.Job{digestAttempt(planObj, planTick, 1, "ana,sam", batchv1.JobComplete, "")}, now: t0,
		want:   attemptPlan{record: []string{"digest/" + planTick, "nomination/ana", "nomination/sam"}, published: []string{"ana", "sam"}, lastSuccess: t0},
		events: []string{v1alpha1.EventReasonSpotlighted},
	},
	"already in the ledger: nothing": {
		jobs: []batchv1.Job{digestAttempt(planObj, planTick, 1, "ana", batchv1.JobComplete, "")}, done: []string{"digest/" + planTick}, now: t0,
	},
	"running: its nominations are claimed": {
		jobs: []batchv1.Job{digestAttempt(planObj, planTick, 1, "ana", "", "")}, now: t0,
		want: attemptPlan{claimed: []string{"ana"}},
	},
	"clear failure within the backoff: claimed, retried later": {
		jobs: []batchv1.Job{digestAttempt(planObj, planTick, 1, "ana", batchv1.JobFailed, clear)}, now: t0,
		want: attemptPlan{claimed: []string{"ana"}, retryAt: t0.Add(time.Minute)},
	},
	"clear failure after the backoff: attempt 2": {
		jobs: []batchv1.Job{digestAttempt(planObj, planTick, 1, "ana", batchv1.JobFailed, clear)}, now: t0.Add(time.Minute),
		want: attemptPlan{claimed: []string{"ana"}}, retries: []retry{{tick: planTick, n: 2, noms: []string{"ana"}}},
	},
	"attempts exhausted: given up, nominations held": {
		jobs: []batchv1.Job{digestAttempt(planObj, planTick, 1, "ana", batchv1.JobFailed, clear), digestAttempt(planObj, planTick, 2, "ana", batchv1.JobFailed, clear)}, now: t0.Add(time.Hour),
		want:   attemptPlan{record: []string{"gaveup/" + planTick, "held/ana"}, lastFailure: t0},
		events: []string{v1alpha1.ReasonSpotlightFailed},
	},
	"ambiguous: given up at once": {
		jobs: []batchv1.Job{digestAttempt(planObj, planTick, 1, "ana", batchv1.JobFailed, ambiguous)}, now: t0,
		want:   attemptPlan{record: []string{"gaveup/" + planTick, "held/ana"}, lastFailure: t0},
		events: []string{v1alpha1.ReasonSpotlightFailed},
	},
	"a Job of the earlier CronJob: not a digest": {
		jobs: []batchv1.Job{func() batchv1.Job {
			j := digestAttempt(planObj, planTick, 1, "ana", batchv1.JobComplete, "")
			delete(j.Annotations, cronjobs.AnnotationDigest)
			return j
		}()}, now: t0,
	},
}

func TestPlanAttempts(t *testing.T) {
	obj := testCampaign()
	p := delivery.Policy{Attempts: 2, Backoff: time.Minute}
	for name, tc := range planCases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			got := planAttempts(obj, tc.jobs, tc.done, p, tc.now)
			var events []string
			for _, e := range got.events {
				events = append(events, e.Reason)
			}
			g.Expect(got.retries).To(Equal(tc.retries))
			g.Expect(events).To(Equal(tc.events))
			got.retries, got.events = nil, nil
			g.Expect(got).To(Equal(tc.want))
		})
	}
}

func TestDeliveryFailing(t *testing.T) {
	at := func(d time.Duration) *metav1.Time { return ptr.To(metav1.NewTime(t0.Add(d))) }
	tests := map[string]struct {
		st   v1alpha1.RecognitionCampaignStatus
		want metav1.ConditionStatus
	}{
		"nothing given up":                  {st: v1alpha1.RecognitionCampaignStatus{LastPublicationTime: at(0)}, want: metav1.ConditionFalse},
		"given up, never published":         {st: v1alpha1.RecognitionCampaignStatus{LastFailureTime: at(0)}, want: metav1.ConditionTrue},
		"given up after the last published": {st: v1alpha1.RecognitionCampaignStatus{LastPublicationTime: at(0), LastFailureTime: at(time.Hour)}, want: metav1.ConditionTrue},
		"published after the last given up": {st: v1alpha1.RecognitionCampaignStatus{LastPublicationTime: at(time.Hour), LastFailureTime: at(0)}, want: metav1.ConditionFalse},
		"published when the other gave up":  {st: v1alpha1.RecognitionCampaignStatus{LastPublicationTime: at(0), LastFailureTime: at(0)}, want: metav1.ConditionFalse},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			got, reason, msg := deliveryFailing(tc.st)
			g.Expect(got).To(Equal(tc.want))
			g.Expect(reason).NotTo(BeEmpty())
			g.Expect(msg).NotTo(BeEmpty())
		})
	}
}

func TestInitialLedger(t *testing.T) {
	st := v1alpha1.RecognitionCampaignStatus{SpotlightedNominations: []string{"ana", "sam"}}
	tests := map[string]struct {
		cm   *corev1.ConfigMap
		want []string
	}{
		"no ledger yet: what status recorded": {want: []string{"nomination/ana", "nomination/sam"}},
		"a ledger: nothing":                   {cm: &corev1.ConfigMap{}, want: nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(initialLedger(tc.cm, st)).To(Equal(tc.want))
		})
	}
}

// A retry is built as the first attempt is: a live Job's pod spec, which a
// tenant can forge, is never copied.
func TestRetryJob(t *testing.T) {
	g := NewWithT(t)
	obj, in := world()
	tick := tickKey(t0)
	first := digestJob(obj, in, tick, obj.Spec.Nominations[:1])
	got := retryJob(obj, in, retry{tick: tick, n: 2, noms: []string{"ana", "no-longer-in-spec"}})
	g.Expect(got.Name).To(Equal(digestJobName(obj.Name, tick, 2)))
	g.Expect(got.Annotations).To(Equal(map[string]string{cronjobs.AnnotationDigest: tick, cronjobs.AnnotationAttempt: "2", cronjobs.AnnotationNominations: "ana"}))
	g.Expect(got.Spec.Template.Spec).To(Equal(first.Spec.Template.Spec), "the same pod, the same idempotency key")
	g.Expect(got.Spec.Selector).To(BeNil())
	g.Expect(metav1.IsControlledBy(got, obj)).To(BeTrue())
}

func TestNominationsOf(t *testing.T) {
	many := strings.TrimSuffix(strings.Repeat("n,", spotlight.MaxPerSpotlight), ",")
	for i := range spotlight.MaxPerSpotlight + 5 {
		many += fmt.Sprintf(",n%d", i)
	}
	tests := map[string]struct {
		annotation string
		want       []string
	}{
		"none":                    {},
		"names, trimmed":          {annotation: "ana, sam", want: []string{"ana", "sam"}},
		"not DNS labels: ignored": {annotation: "Ana,a_b,-x," + strings.Repeat("a", 64) + ",ok", want: []string{"ok"}},
		"repeats: once":           {annotation: "ana,ana,sam", want: []string{"ana", "sam"}},
		"at most one spotlight's worth": {annotation: many, want: append([]string{"n"}, func() []string {
			var out []string
			for i := range spotlight.MaxPerSpotlight - 1 {
				out = append(out, fmt.Sprintf("n%d", i))
			}
			return out
		}()...)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			j := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{cronjobs.AnnotationNominations: tc.annotation}}}
			NewWithT(t).Expect(nominationsOf(j)).To(Equal(tc.want))
		})
	}
}
