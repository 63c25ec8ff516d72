package initiative

import (
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/ledger"
	"github.com/momentum-dev/momentum/internal/record"
	"github.com/momentum-dev/momentum/internal/successindex"
)

func TestChannelFaults(t *testing.T) {
	cases := map[string]struct {
		reminders reminderPlan
		wins      celebrationPlan
		want      faults
	}{
		"none": {},
		"the celebrations' channel joins the reminders', once": {
			reminders: reminderPlan{missingChannels: []string{"b", "team"}, unreadyChannels: []string{"x"}},
			wins:      celebrationPlan{missingChannel: "a"},
			want:      faults{missingChannels: []string{"a", "b", "team"}, unreadyChannels: []string{"x"}},
		},
		"the same channel is named once": {
			reminders: reminderPlan{unreadyChannels: []string{"team"}},
			wins:      celebrationPlan{unreadyChannel: "team"},
			want:      faults{unreadyChannels: []string{"team"}},
		},
		"an invalid ledger is a fault": {wins: celebrationPlan{ledgerInvalid: "too large"}, want: faults{ledgerInvalid: "too large"}},
		"invalid reminders are kept":   {reminders: reminderPlan{invalid: []string{"reminder a: bad"}}, want: faults{invalid: []string{"reminder a: bad"}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(channelFaults(tc.reminders, tc.wins)).To(Equal(tc.want))
		})
	}
}

func TestQuietHoursReady(t *testing.T) {
	quiet := &v1alpha1.QuietHours{Allow: []v1alpha1.AllowedWindow{{Days: []v1alpha1.DayRange{"Mon-Fri"}, From: "10:00", To: "17:00"}}}
	passing := conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonStageInProgress, "ok")
	failing := conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonChannelNotFound, "no channel")
	cases := map[string]struct {
		quiet    *v1alpha1.QuietHours
		ready    metav1.Condition
		reason   string
		conflict bool
	}{
		"no quiet hours":                  {ready: passing, reason: v1alpha1.ReasonStageInProgress},
		"a reminder fires in quiet hours": {quiet: quiet, ready: passing, reason: v1alpha1.ReasonQuietHoursConflict, conflict: true},
		"a fault is kept":                 {quiet: quiet, ready: failing, reason: v1alpha1.ReasonChannelNotFound},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			obj := fixture(daily("standup", "team")) // 09:00, before the allowed hours
			obj.Spec.QuietHours = tc.quiet
			got, conflict := quietHoursReady(obj, tc.ready, t0)
			g.Expect(got.Reason).To(Equal(tc.reason))
			g.Expect(conflict).To(Equal(tc.conflict))
		})
	}
}

func TestApplied(t *testing.T) {
	posted := &v1alpha1.CelebrationStatus{Stages: []string{"Initiation"}}
	before := &v1alpha1.CelebrationStatus{}
	cases := map[string]struct {
		d         decision
		winsTaken []string
		// ready is Ready's reason after; celebrations what is recorded.
		ready        string
		celebrations *v1alpha1.CelebrationStatus
		celebrated   int
		recheckAt    time.Time
	}{
		"nothing taken: as decided": {d: decision{ready: metav1.Condition{Reason: v1alpha1.ReasonStageInProgress}, recorded: recorded{celebrations: posted}, celebrated: make([]record.Event, 1)},
			ready: v1alpha1.ReasonStageInProgress, celebrations: posted, celebrated: 1},
		"a win's Job name is taken: not recorded, NameConflict": {d: decision{ready: metav1.Condition{Reason: v1alpha1.ReasonStageInProgress}, recorded: recorded{celebrations: posted}, celebrated: make([]record.Event, 1)},
			winsTaken: []string{"celebration stage-A: taken"}, ready: v1alpha1.ReasonNameConflict, celebrations: before, recheckAt: t0.Add(nameConflictRecheck)},
		"a reminder's name is taken": {d: decision{ready: metav1.Condition{Reason: v1alpha1.ReasonStageInProgress}, reminders: reminderPlan{conflicts: []string{"reminder a: taken"}}, recorded: recorded{celebrations: posted}},
			ready: v1alpha1.ReasonNameConflict, celebrations: posted, recheckAt: t0.Add(nameConflictRecheck)},
		"stalled says what to fix first": {d: decision{ready: metav1.Condition{Reason: v1alpha1.ReasonTemplateInvalid}, stalled: v1alpha1.ReasonTemplateInvalid, reminders: reminderPlan{conflicts: []string{"reminder a: taken"}}},
			ready: v1alpha1.ReasonTemplateInvalid, recheckAt: t0.Add(nameConflictRecheck)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			obj := fixture()
			obj.Status.Celebrations = before
			d := applied(obj, tc.d, tc.winsTaken, t0)
			g.Expect(d.ready.Reason).To(Equal(tc.ready))
			g.Expect(d.recorded.celebrations).To(Equal(tc.celebrations))
			g.Expect(d.celebrated).To(HaveLen(tc.celebrated))
			g.Expect(d.recheckAt).To(Equal(tc.recheckAt))
		})
	}
}

func TestWarnOnce(t *testing.T) {
	next := conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonChannelNotFound, "now")
	cases := map[string]struct {
		prev *metav1.Condition
		want int
	}{
		"first time":               {want: 1},
		"another reason before":    {prev: &metav1.Condition{Status: metav1.ConditionFalse, Reason: v1alpha1.ReasonIndicatorNotFound}, want: 1},
		"same reason, new text":    {prev: &metav1.Condition{Status: metav1.ConditionFalse, Reason: v1alpha1.ReasonChannelNotFound, Message: "then"}},
		"was True with the reason": {prev: &metav1.Condition{Status: metav1.ConditionTrue, Reason: v1alpha1.ReasonChannelNotFound}, want: 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(conditions.Warning(tc.prev, next)).To(HaveLen(tc.want))
		})
	}
}

func TestPlanCelebrations(t *testing.T) {
	cases := map[string]struct {
		spec *v1alpha1.Celebrations
		ch   inputs
		prev *v1alpha1.CelebrationStatus
		// missing and unready name the channel's fault; recorded is
		// whether a status is to be recorded.
		missing, unready  string
		recorded, invalid bool
		jobs              int
	}{
		"not configured: nothing recorded":                  {ch: withChannels(nil), prev: &v1alpha1.CelebrationStatus{}},
		"the channel is missing: kept":                      {spec: &v1alpha1.Celebrations{Channel: "wins"}, ch: withChannels(nil), prev: &v1alpha1.CelebrationStatus{}, missing: "wins", recorded: true},
		"the channel is not Ready: kept":                    {spec: &v1alpha1.Celebrations{Channel: "wins"}, ch: withChannels(nil, "wins"), prev: &v1alpha1.CelebrationStatus{}, unready: "wins", recorded: true},
		"first time: the state is recorded, nothing posted": {spec: &v1alpha1.Celebrations{Channel: "wins"}, ch: withChannels([]string{"wins"}), recorded: true},
		"a forged ledger: nothing posted, kept": {spec: &v1alpha1.Celebrations{Channel: "wins"}, ch: withLedger(withChannels([]string{"wins"}), ledger.MaxBytes),
			prev: &v1alpha1.CelebrationStatus{}, recorded: true, invalid: true},
		"a stage entered since: posted": {spec: &v1alpha1.Celebrations{Channel: "wins"}, ch: withChannels([]string{"wins"}), prev: &v1alpha1.CelebrationStatus{}, recorded: true, jobs: 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			obj := fixture()
			obj.Spec.Celebrations = tc.spec
			obj.Status.Celebrations = tc.prev
			obj.Status.History = []v1alpha1.StageRecord{{Name: "Initiation", EnteredAt: metav1.NewTime(t0.Add(-time.Hour)), ExitedAt: ptr.To(metav1.NewTime(t0))}}
			p := planCelebrations(obj, nil, tc.ch, cronjobs.Options{}, t0)
			g.Expect(p.missingChannel).To(Equal(tc.missing))
			g.Expect(p.unreadyChannel).To(Equal(tc.unready))
			invalid := p.ledgerInvalid != ""
			g.Expect(invalid).To(Equal(tc.invalid))
			g.Expect(p.status != nil).To(Equal(tc.recorded))
			g.Expect(p.jobs).To(HaveLen(tc.jobs))
			g.Expect(p.celebrated).To(BeEmpty(), "Celebrated only once the Job delivered")
			for _, j := range p.jobs {
				g.Expect(j.Annotations).To(HaveKeyWithValue(cronjobs.AnnotationAttempt, "1"))
				g.Expect(metav1.IsControlledBy(j, obj)).To(BeTrue())
			}
		})
	}
}

func TestCelebrationInputs(t *testing.T) {
	cases := map[string]struct {
		src  *v1alpha1.IndicatorSource
		want time.Duration
	}{
		"samples from Git":         {want: defaultCooldown},
		"a live source: interval":  {src: &v1alpha1.IndicatorSource{HTTP: &v1alpha1.HTTPSource{Interval: &metav1.Duration{Duration: time.Hour}}}, want: time.Hour},
		"its default interval":     {src: &v1alpha1.IndicatorSource{HTTP: &v1alpha1.HTTPSource{}}, want: 5 * time.Minute},
		"a zero interval: default": {src: &v1alpha1.IndicatorSource{Prometheus: &v1alpha1.PrometheusSource{Interval: &metav1.Duration{}}}, want: 5 * time.Minute},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			in := celebrationInputs([]v1alpha1.LeadingIndicator{{Spec: v1alpha1.LeadingIndicatorSpec{Source: tc.src}}})
			NewWithT(t).Expect(in[0].Cooldown).To(Equal(tc.want))
		})
	}
}

func TestHoldOnHolidays(t *testing.T) {
	desired := &batchv1.CronJob{ObjectMeta: metav1.ObjectMeta{Name: "a"}, Spec: batchv1.CronJobSpec{Suspend: ptr.To(false)}}
	cases := map[string]struct {
		holidays []v1alpha1.Date
		// suspended says, of the CronJobs to apply, whether each is held.
		suspended []bool
		until     time.Time
	}{
		"a working day: as planned": {suspended: []bool{false}},
		"a holiday: held until it ends": {holidays: []v1alpha1.Date{"2026-11-20"}, suspended: []bool{true},
			until: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			obj := fixture()
			obj.Spec.QuietHours = &v1alpha1.QuietHours{Holidays: tc.holidays}
			plan := reminderPlan{apply: []*batchv1.CronJob{desired}, keep: map[string]bool{"a": true}}
			got, until := holdOnHolidays(obj, withChannels(nil), plan, t0)
			var suspended []bool
			for _, cj := range got.apply {
				suspended = append(suspended, *cj.Spec.Suspend)
			}
			g.Expect(suspended).To(Equal(tc.suspended))
			g.Expect(until).To(Equal(tc.until))
			g.Expect(*desired.Spec.Suspend).To(BeFalse(), "the plan given is not changed")
		})
	}
}

func TestHoldCelebrations(t *testing.T) {
	job := func() *batchv1.Job {
		return &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "win", Annotations: map[string]string{}}}
	}
	cases := map[string]struct {
		quiet *v1alpha1.QuietHours
		jobs  []*batchv1.Job
		held  bool
		until time.Time
	}{
		"no quiet hours":       {jobs: []*batchv1.Job{job()}},
		"nothing to post":      {quiet: &v1alpha1.QuietHours{Allow: []v1alpha1.AllowedWindow{{Days: []v1alpha1.DayRange{"Mon"}, From: "09:00", To: "10:00"}}}},
		"in the allowed hours": {quiet: &v1alpha1.QuietHours{Allow: []v1alpha1.AllowedWindow{{Days: []v1alpha1.DayRange{"Fri"}, From: "09:00", To: "17:00"}}}, jobs: []*batchv1.Job{job()}},
		"in quiet hours: held until Monday": {quiet: &v1alpha1.QuietHours{Allow: []v1alpha1.AllowedWindow{{Days: []v1alpha1.DayRange{"Mon"}, From: "09:00", To: "10:00"}}},
			jobs: []*batchv1.Job{job()}, held: true, until: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			obj := fixture()
			obj.Spec.QuietHours = tc.quiet
			got, until := holdCelebrations(obj, tc.jobs, t0)
			g.Expect(got).To(HaveLen(len(tc.jobs)))
			for _, j := range got {
				g.Expect(ptr.Deref(j.Spec.Suspend, false)).To(Equal(tc.held))
				if tc.held {
					g.Expect(j.Annotations).To(HaveKeyWithValue(AnnotationHeld, held))
				} else {
					g.Expect(j.Annotations).NotTo(HaveKey(AnnotationHeld))
				}
			}
			for _, j := range tc.jobs {
				g.Expect(j.Spec.Suspend).To(BeNil(), "the Jobs given are not changed")
			}
			g.Expect(until).To(Equal(tc.until))
		})
	}
}

func TestPlanChildren(t *testing.T) {
	cases := map[string]struct {
		obj *v1alpha1.Initiative
		ch  inputs
		// reminders and digest say what is recorded once applied.
		reminders int
		digest    bool
		apply     int
	}{
		"nothing configured": {obj: fixture(), ch: withChannels(nil)},
		"a reminder and the review digest": {obj: func() *v1alpha1.Initiative {
			o := fixture(daily("standup", "team"))
			o.Spec.ReviewReminder = &v1alpha1.ReviewReminder{Schedule: "0 9 * * 1", Channel: "team"}
			return o
		}(), ch: withChannels([]string{"team"}), reminders: 1, digest: true, apply: 2},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			p := planChildren(tc.obj, nil, tc.ch, cronjobs.Options{}, t0)
			g.Expect(p.recorded.reminders).To(HaveLen(tc.reminders), "the digest has its own status field")
			g.Expect(p.recorded.reviewReminder != nil).To(Equal(tc.digest))
			g.Expect(p.reminders.apply).To(HaveLen(tc.apply))
		})
	}
}

func TestPlanReviewDigest(t *testing.T) {
	cases := map[string]struct {
		ch inputs
		// suspended: no review due, so the digest waits.
		suspended bool
		missing   []string
		conflicts int
		apply     int
	}{
		"no review due: applied suspended": {ch: withChannels([]string{"team"}), suspended: true, apply: 1},
		"the channel is missing":           {ch: withChannels(nil), suspended: true, missing: []string{"team"}},
		"the name is taken": {ch: func() inputs {
			ch := withChannels([]string{"team"})
			ch.taken[reminderName("customer-first", digestName)] = "held"
			return ch
		}(), suspended: true, conflicts: 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			obj := fixture()
			obj.Spec.ReviewReminder = &v1alpha1.ReviewReminder{Schedule: "0 9 * * 1", Channel: "team"}
			plan, st, _ := planReviewDigest(obj, tc.ch, cronjobs.Options{}, t0)
			g.Expect(st).NotTo(BeNil())
			g.Expect(st.Suspended).To(Equal(tc.suspended))
			g.Expect(plan.missingChannels).To(Equal(tc.missing))
			g.Expect(plan.conflicts).To(HaveLen(tc.conflicts))
			g.Expect(plan.apply).To(HaveLen(tc.apply))
		})
	}
}

func TestSuccessStatus(t *testing.T) {
	score, target := v1alpha1.Decimal("2"), v1alpha1.Decimal("4")
	weak := v1alpha1.CultureAssessment{ObjectMeta: metav1.ObjectMeta{Name: "q3"}}
	weak.Status.Disciplines = []v1alpha1.DisciplineStatus{{Name: "Listening", Score: &score, Target: target}}
	cases := map[string]struct {
		s      success
		funnel *v1alpha1.Funnel
		// weakest is the funnel's weakest discipline; rollup whether there is one.
		weakest string
		rollup  bool
	}{
		"nothing":                    {},
		"an assessment below target": {s: success{assessments: []v1alpha1.CultureAssessment{weak}}, funnel: &v1alpha1.Funnel{}, weakest: "Listening is the weakest discipline"},
		"commitments roll up":        {s: success{commitments: []successindex.Commitment{{Created: t0}}}, rollup: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			given := tc.funnel.DeepCopy()
			rollup, funnel, _ := successStatus(fixture(), tc.s, tc.funnel, t0)
			g.Expect(rollup != nil).To(Equal(tc.rollup))
			g.Expect(tc.funnel).To(Equal(given), "the funnel given is not changed")
			if tc.weakest == "" {
				g.Expect(funnel).To(Equal(tc.funnel))
				return
			}
			g.Expect(funnel.WeakestDiscipline).To(HavePrefix(tc.weakest))
		})
	}
}

func TestRecordGivenUp(t *testing.T) {
	cases := map[string]struct {
		prev   *v1alpha1.CelebrationStatus
		gaveUp map[string]string
		failed []string
		events int
	}{
		"nothing given up":             {prev: &v1alpha1.CelebrationStatus{}},
		"a win given up: recorded":     {prev: &v1alpha1.CelebrationStatus{}, gaveUp: map[string]string{"stage-A": "failed twice"}, failed: []string{"stage-A"}, events: 1},
		"already recorded: no Warning": {prev: &v1alpha1.CelebrationStatus{Failed: []string{"stage-A"}}, gaveUp: map[string]string{"stage-A": "failed twice"}, failed: []string{"stage-A"}},
		"no status: nothing":           {gaveUp: map[string]string{"stage-A": "failed twice"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			given := tc.prev.DeepCopy()
			got, events := recordGivenUp(fixture(), tc.prev, tc.gaveUp)
			g.Expect(tc.prev).To(Equal(given), "the status given is not changed")
			g.Expect(events).To(HaveLen(tc.events))
			for _, e := range events {
				g.Expect(e.Type).To(Equal(corev1.EventTypeWarning))
			}
			if tc.prev == nil {
				g.Expect(got).To(BeNil())
				return
			}
			g.Expect(got.Failed).To(Equal(tc.failed))
		})
	}
}

// withLedger is ch with a ledger of size bytes.
func withLedger(ch inputs, size int) inputs {
	ch.ledger = ledger.Desired("culture", "l", nil, []string{strings.Repeat("x", size)})
	return ch
}
