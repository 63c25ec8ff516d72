package delivery

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestNext(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC)
	p := Policy{Attempts: 3, Backoff: time.Minute}
	tests := map[string]struct {
		attempts []Attempt
		now      time.Time
		want     Plan
	}{
		"no attempt yet: create the first":         {now: t0, want: Plan{Create: 1}},
		"running: wait for it":                     {attempts: []Attempt{{N: 1, Phase: Running}}, now: t0, want: Plan{}},
		"succeeded: delivered":                     {attempts: []Attempt{{N: 1, Phase: Succeeded, At: t0}}, now: t0, want: Plan{Delivered: true}},
		"an older attempt succeeded: delivered":    {attempts: []Attempt{{N: 2, Phase: Running}, {N: 1, Phase: Succeeded, At: t0}}, now: t0, want: Plan{Delivered: true}},
		"clear failure, within backoff: wait":      {attempts: []Attempt{{N: 1, Phase: Failed, At: t0}}, now: t0.Add(30 * time.Second), want: Plan{RetryAt: t0.Add(time.Minute)}},
		"clear failure, backoff over: attempt 2":   {attempts: []Attempt{{N: 1, Phase: Failed, At: t0}}, now: t0.Add(time.Minute), want: Plan{Create: 2}},
		"second failure waits twice as long":       {attempts: []Attempt{{N: 1, Phase: Failed, At: t0}, {N: 2, Phase: Failed, At: t0.Add(time.Minute)}}, now: t0.Add(2 * time.Minute), want: Plan{RetryAt: t0.Add(3 * time.Minute)}},
		"limit reached: give up":                   {attempts: []Attempt{{N: 3, Phase: Failed, At: t0}, {N: 1, Phase: Failed}, {N: 2, Phase: Failed}}, now: t0.Add(time.Hour), want: Plan{GaveUp: "failed 3 times, giving up"}},
		"ambiguous: never again":                   {attempts: []Attempt{{N: 1, Phase: Ambiguous, At: t0}}, now: t0.Add(time.Hour), want: Plan{GaveUp: "may have been delivered, so it is not sent again"}},
		"ambiguous after a clear failure: give up": {attempts: []Attempt{{N: 1, Phase: Failed, At: t0}, {N: 2, Phase: Ambiguous, At: t0}}, now: t0.Add(time.Hour), want: Plan{GaveUp: "may have been delivered, so it is not sent again"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(Next(p, tc.attempts, tc.now)).To(Equal(tc.want))
		})
	}
}

func TestBackoffIsCapped(t *testing.T) {
	g := NewWithT(t)
	g.Expect(Policy{}.backoff(1)).To(Equal(DefaultBackoff))
	g.Expect(Policy{}.backoff(3)).To(Equal(4 * DefaultBackoff))
	g.Expect(Policy{}.backoff(40)).To(Equal(MaxBackoff))
}

func TestPhaseOf(t *testing.T) {
	at := metav1.NewTime(time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC))
	cond := func(typ batchv1.JobConditionType, reason string) batchv1.JobCondition {
		return batchv1.JobCondition{Type: typ, Status: corev1.ConditionTrue, Reason: reason, LastTransitionTime: at}
	}
	tests := map[string]struct {
		conditions []batchv1.JobCondition
		want       Phase
	}{
		"no condition":               {want: Running},
		"complete":                   {conditions: []batchv1.JobCondition{cond(batchv1.JobSuccessCriteriaMet, ""), cond(batchv1.JobComplete, "")}, want: Succeeded},
		"backoff limit: clear":       {conditions: []batchv1.JobCondition{cond(batchv1.JobFailed, batchv1.JobReasonBackoffLimitExceeded)}, want: Failed},
		"pod failure policy: exit 3": {conditions: []batchv1.JobCondition{cond(batchv1.JobFailed, batchv1.JobReasonPodFailurePolicy)}, want: Ambiguous},
		"deadline: stopped mid-way":  {conditions: []batchv1.JobCondition{cond(batchv1.JobFailed, batchv1.JobReasonDeadlineExceeded)}, want: Ambiguous},
		"failure target only":        {conditions: []batchv1.JobCondition{cond(batchv1.JobFailureTarget, batchv1.JobReasonBackoffLimitExceeded)}, want: Running},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, _ := PhaseOf(&batchv1.Job{Status: batchv1.JobStatus{Conditions: tc.conditions}})
			NewWithT(t).Expect(got).To(Equal(tc.want))
		})
	}
}

func TestFailing(t *testing.T) {
	at := func(m int) *metav1.Time {
		return ptr.To(metav1.NewTime(time.Date(2026, 11, 20, 16, m, 0, 0, time.UTC)))
	}
	cases := map[string]struct {
		success, failure *metav1.Time
		want             bool
	}{
		"nothing ran":               {},
		"only successes":            {success: at(1)},
		"only a failure":            {failure: at(1), want: true},
		"a failure after a success": {success: at(1), failure: at(2), want: true},
		"a success after a failure": {success: at(2), failure: at(1)},
		"at the same time":          {success: at(1), failure: at(1)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := v1alpha1.ReminderStatus{LastSuccessfulTime: tc.success, LastFailureTime: tc.failure}
			NewWithT(t).Expect(Failing(r)).To(Equal(tc.want))
		})
	}
}
