package recognitioncampaign

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/spotlight"
)

func TestReadyCondition(t *testing.T) {
	it := &v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{Name: "customer-first"}}
	next := time.Date(2026, 11, 20, 16, 0, 0, 0, time.FixedZone("CET", 3600))
	tests := map[string]struct {
		t         spotlight.Tally
		suspended bool
		reason    string
		message   string
	}{
		"scheduled": {t: spotlight.Tally{Pending: make([]v1alpha1.Nomination, 2)}, reason: v1alpha1.ReasonScheduled,
			message: "Next spotlight at 2026-11-20T16:00:00+01:00: 2 nominations pending"},
		"scheduled, with rejections": {t: spotlight.Tally{Rejected: make([]v1alpha1.RejectedNomination, 1)}, reason: v1alpha1.ReasonScheduled,
			message: "Next spotlight at 2026-11-20T16:00:00+01:00: 0 nominations pending, 1 nomination rejected (see status.rejected)"},
		"suspended": {t: spotlight.Tally{Pending: make([]v1alpha1.Nomination, 1)}, suspended: true, reason: v1alpha1.ReasonSuspended,
			message: "Initiative customer-first is suspended, so spotlights are paused: set its spec.suspend to false to resume; 1 nomination pending"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			got := readyCondition(it, tc.t, next, tc.suspended)
			g.Expect(got.Status).To(Equal(metav1.ConditionTrue))
			g.Expect(got.Reason).To(Equal(tc.reason))
			g.Expect(got.Message).To(Equal(tc.message))
		})
	}
}

func TestQuietHours(t *testing.T) {
	evening, _ := cron.ParseStandard("CRON_TZ=UTC 0 20 * * FRI")
	afternoon, _ := cron.ParseStandard("CRON_TZ=UTC 0 15 * * FRI")
	office := &v1alpha1.QuietHours{TimeZone: "UTC", Allow: []v1alpha1.AllowedWindow{{Days: []v1alpha1.DayRange{"Mon-Fri"}, From: "09:00", To: "18:00"}},
		Holidays: []v1alpha1.Date{"2026-11-20"}}
	tests := map[string]struct {
		quiet    *v1alpha1.QuietHours
		sched    cron.Schedule
		now      time.Time
		hold     time.Time
		conflict bool
	}{
		"no quiet hours":                 {sched: evening, now: t0},
		"a holiday holds until midnight": {quiet: office, sched: afternoon, now: t0, hold: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)},
		"a run in the quiet hours":       {quiet: office, sched: evening, now: t0.Add(24 * time.Hour), conflict: true},
		"a run in the allowed hours":     {quiet: office, sched: afternoon, now: t0.Add(24 * time.Hour)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			it := &v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{Name: "customer-first"}, Spec: v1alpha1.InitiativeSpec{QuietHours: tc.quiet}}
			q := quietHours(it, tc.sched, tc.now)
			g.Expect(q.holdUntil).To(BeTemporally("==", tc.hold))
			if tc.conflict {
				g.Expect(q.conflict).To(ContainSubstring("in the quiet hours of Initiative customer-first"))
			} else {
				g.Expect(q.conflict).To(BeEmpty())
			}
		})
	}
}

func TestRecordOutcomes(t *testing.T) {
	obj := testCampaign()
	obj.Spec.Nominations = []v1alpha1.Nomination{{Name: "ana"}, {Name: "sam"}, {Name: "lee"}}
	legacy := digestAttempt(obj, "x", 1, "lee", batchv1.JobComplete, "")
	delete(legacy.Annotations, "culture.momentum.dev/digest")
	tests := map[string]struct {
		spotlighted, keys []string
		jobs              []batchv1.Job
		plan              attemptPlan
		want, published   []string
		lastSuccess       *metav1.Time
	}{
		"nothing new":                            {spotlighted: []string{"ana"}, keys: []string{"nomination/ana"}, want: []string{"ana"}},
		"rebuilt from the ledger (re-created)":   {keys: []string{"nomination/ana", "held/sam"}, want: []string{"ana"}, published: []string{"ana"}},
		"delivered now":                          {spotlighted: []string{"ana"}, plan: attemptPlan{published: []string{"sam"}, lastSuccess: t0}, want: []string{"ana", "sam"}, published: []string{"sam"}, lastSuccess: ptr.To(metav1.NewTime(t0))},
		"a Job of the earlier spotlight CronJob": {jobs: []batchv1.Job{legacy}, want: []string{"lee"}, published: []string{"lee"}, lastSuccess: ptr.To(metav1.NewTime(t0))},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			o := obj.DeepCopy()
			o.Status.SpotlightedNominations = tc.spotlighted
			st, published := recordOutcomes(o, tc.keys, tc.jobs, tc.plan)
			g.Expect(st.SpotlightedNominations).To(Equal(tc.want))
			g.Expect(published).To(Equal(tc.published))
			g.Expect(st.LastPublicationTime).To(Equal(tc.lastSuccess))
		})
	}
}
