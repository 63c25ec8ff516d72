package recognitioncampaign

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/ledger"
	"github.com/momentum-dev/momentum/internal/spotlight"
)

func TestDueTick(t *testing.T) {
	hourly, _ := cron.ParseStandard("0 * * * *")
	minutely, _ := cron.ParseStandard("* * * * *")
	daily, _ := cron.ParseStandard("0 15 * * *")
	tests := map[string]struct {
		sched      cron.Schedule
		since, now time.Time
		// want is the due scheduled time; zero for none.
		want time.Time
	}{
		"none since":                           {sched: hourly, since: t0, now: t0.Add(59 * time.Minute)},
		"the one since":                        {sched: hourly, since: t0, now: t0.Add(time.Hour), want: t0.Add(time.Hour)},
		"several missed: the newest":           {sched: minutely, since: t0, now: t0.Add(10*time.Minute + 30*time.Second), want: t0.Add(10 * time.Minute)},
		"older than the deadline: skipped":     {sched: daily, since: t0.Add(-time.Hour), now: t0.Add(61 * time.Minute)},
		"late within the deadline: due":        {sched: daily, since: t0.Add(-time.Hour), now: t0.Add(59 * time.Minute), want: t0},
		"at the deadline: still due":           {sched: hourly, since: t0, now: t0.Add(3 * time.Hour), want: t0.Add(3 * time.Hour)},
		"a long outage walks a bounded span":   {sched: minutely, since: t0.Add(-365 * 24 * time.Hour), now: t0, want: t0},
		"handled already: the same time again": {sched: hourly, since: t0.Add(time.Hour), now: t0.Add(time.Hour)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(dueTick(tc.sched, tc.since, tc.now)).To(Equal(tc.want))
		})
	}
}

func TestHandledSince(t *testing.T) {
	tests := map[string]struct {
		last *metav1.Time
		want time.Time
	}{
		"never scheduled: now":          {want: t0},
		"scheduled: the newest handled": {last: ptr.To(metav1.NewTime(t0.Add(-time.Hour))), want: t0.Add(-time.Hour)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			obj := &v1alpha1.RecognitionCampaign{Status: v1alpha1.RecognitionCampaignStatus{LastScheduleTime: tc.last}}
			NewWithT(t).Expect(handledSince(obj, t0)).To(Equal(tc.want))
		})
	}
}

// world is a campaign with a Ready Channel and its initiative.
func world() (*v1alpha1.RecognitionCampaign, inputs) {
	obj := testCampaign()
	obj.Spec = v1alpha1.RecognitionCampaignSpec{InitiativeRef: v1alpha1.LocalObjectReference{Name: "customer-first"},
		Schedule: "0 * * * *", Channel: "all-hands", Behaviors: []string{"close-the-loop"},
		Nominations: []v1alpha1.Nomination{
			{Name: "ana", Nominee: "Ana", NominatedBy: "Dana", Behavior: "close-the-loop", Story: "s", At: "2026-11-10"},
			{Name: "sam", Nominee: "Sam", NominatedBy: "Priya", Behavior: "close-the-loop", Story: "s", At: "2026-11-12"},
		}}
	obj.Status.LastScheduleTime = ptr.To(metav1.NewTime(t0))
	it := &v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{Name: "customer-first"},
		Spec: v1alpha1.InitiativeSpec{Behaviors: []v1alpha1.Behavior{{Name: "close-the-loop"}}}}
	ch := &v1alpha1.Channel{ObjectMeta: metav1.ObjectMeta{Name: "all-hands", Generation: 1},
		Spec:   v1alpha1.ChannelSpec{Type: v1alpha1.ChannelSlack, SecretRef: v1alpha1.LocalObjectReference{Name: "s"}},
		Status: v1alpha1.ChannelStatus{ObservedGeneration: 1, Conditions: []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: metav1.ConditionTrue, Reason: "Ready"}}}}
	return obj, inputs{initiative: it, channel: ch}
}

func TestBlocker(t *testing.T) {
	tests := map[string]struct {
		edit     func(*inputs) error
		reason   string
		stalled  string
		blocking bool
	}{
		"all there: nothing blocks":  {edit: func(*inputs) error { return nil }},
		"initiative missing":         {edit: func(in *inputs) error { in.initiative = nil; return nil }, reason: v1alpha1.ReasonInitiativeNotFound, blocking: true},
		"schedule invalid: stalled":  {edit: func(*inputs) error { return errors.New("bad") }, reason: v1alpha1.ReasonScheduleInvalid, stalled: v1alpha1.ReasonScheduleInvalid, blocking: true},
		"channel missing":            {edit: func(in *inputs) error { in.channel = nil; return nil }, reason: v1alpha1.ReasonChannelNotFound, blocking: true},
		"channel not checked yet":    {edit: func(in *inputs) error { in.channel.Status = v1alpha1.ChannelStatus{}; return nil }, reason: v1alpha1.ReasonChannelPending, blocking: true},
		"initiative first, then all": {edit: func(in *inputs) error { in.initiative, in.channel = nil, nil; return errors.New("bad") }, reason: v1alpha1.ReasonInitiativeNotFound, blocking: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			obj, in := world()
			err := tc.edit(&in)
			ready, stalled, blocking := blocker(obj, in, err)
			g.Expect(blocking).To(Equal(tc.blocking))
			g.Expect(ready.Reason).To(Equal(tc.reason))
			g.Expect(stalled).To(Equal(tc.stalled))
		})
	}
}

// decideCases are the worlds TestDecide decides on, from world().
var decideCases = map[string]struct {
	edit func(*v1alpha1.RecognitionCampaign, *inputs)
	now  time.Time
	// jobs names the nominations of each digest Job created.
	jobs []string
	// scheduled is status.lastScheduleTime after; record the ledger keys.
	scheduled time.Time
	record    []string
	reason    string
}{
	"before the spotlight: nothing posted":            {now: t0.Add(30 * time.Minute), scheduled: t0, reason: v1alpha1.ReasonScheduled},
	"the spotlight is due: one digest of the pending": {now: t0.Add(time.Hour), jobs: []string{"ana,sam"}, scheduled: t0.Add(time.Hour), reason: v1alpha1.ReasonScheduled},
	"nothing new: nothing posted, the time handled": {
		edit: func(_ *v1alpha1.RecognitionCampaign, in *inputs) {
			in.ledger = ledger.Desired("culture", "l", nil, []string{"nomination/ana", "nomination/sam"})
		}, now: t0.Add(time.Hour), scheduled: t0.Add(time.Hour), reason: v1alpha1.ReasonScheduled},
	"a digest under way claims its nominations": {
		edit: func(obj *v1alpha1.RecognitionCampaign, in *inputs) {
			in.jobs = []batchv1.Job{digestAttempt(obj, "20261120t1400z", 1, "ana", "", "")}
		}, now: t0.Add(time.Hour), jobs: []string{"sam"}, scheduled: t0.Add(time.Hour), reason: v1alpha1.ReasonScheduled},
	"a delivered digest is recorded and not posted again": {
		edit: func(obj *v1alpha1.RecognitionCampaign, in *inputs) {
			in.jobs = []batchv1.Job{digestAttempt(obj, "20261120t1400z", 1, "ana", batchv1.JobComplete, "")}
		}, now: t0.Add(time.Hour), jobs: []string{"sam"}, scheduled: t0.Add(time.Hour),
		record: []string{"digest/20261120t1400z", "nomination/ana"}, reason: v1alpha1.ReasonScheduled},
	"a held nomination is never posted": {
		edit: func(_ *v1alpha1.RecognitionCampaign, in *inputs) {
			in.ledger = ledger.Desired("culture", "l", nil, []string{"gaveup/x", "held/ana"})
		}, now: t0.Add(time.Hour), jobs: []string{"sam"}, scheduled: t0.Add(time.Hour), reason: v1alpha1.ReasonScheduled},
	"suspended: nothing posted": {
		edit: func(_ *v1alpha1.RecognitionCampaign, in *inputs) { in.initiative.Spec.Suspend = ptr.To(true) },
		now:  t0.Add(time.Hour), scheduled: t0, reason: v1alpha1.ReasonSuspended},
	"channel missing: nothing posted, the time not handled": {
		edit: func(_ *v1alpha1.RecognitionCampaign, in *inputs) { in.channel = nil },
		now:  t0.Add(time.Hour), scheduled: t0, reason: v1alpha1.ReasonChannelNotFound},
	"a new campaign posts nothing for times before it existed": {
		edit: func(obj *v1alpha1.RecognitionCampaign, _ *inputs) { obj.Status.LastScheduleTime = nil },
		now:  t0.Add(time.Hour), scheduled: t0.Add(time.Hour), reason: v1alpha1.ReasonScheduled},
	"a forged ledger too large: nothing posted, LedgerInvalid": {
		edit: func(_ *v1alpha1.RecognitionCampaign, in *inputs) {
			in.ledger = ledger.Desired("culture", "l", nil, []string{strings.Repeat("x", ledger.MaxBytes)})
		}, now: t0.Add(time.Hour), scheduled: t0, reason: v1alpha1.ReasonLedgerInvalid},
	"a ledger the cache marked oversize: nothing posted, LedgerInvalid": {
		edit: func(_ *v1alpha1.RecognitionCampaign, in *inputs) {
			in.ledger = ledger.Desired("culture", "l", nil, nil)
			in.ledger.Annotations = map[string]string{ledger.OversizeAnnotation: ledger.TooLarge}
		}, now: t0.Add(time.Hour), scheduled: t0, reason: v1alpha1.ReasonLedgerInvalid},
	"a holiday holds the spotlight": {
		edit: func(_ *v1alpha1.RecognitionCampaign, in *inputs) {
			in.initiative.Spec.QuietHours = &v1alpha1.QuietHours{TimeZone: "UTC", Holidays: []v1alpha1.Date{"2026-11-20"}}
		}, now: t0.Add(time.Hour), scheduled: t0, reason: v1alpha1.ReasonScheduled},
}

func TestDecide(t *testing.T) {
	tick := tickKey(t0.Add(time.Hour))
	for name, tc := range decideCases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			obj, in := world()
			if tc.edit != nil {
				tc.edit(obj, &in)
			}
			before := obj.DeepCopy()
			d := decide(obj, in, tc.now)
			g.Expect(obj).To(Equal(before), "decide writes no input")
			var jobs []string
			for _, j := range d.create {
				jobs = append(jobs, j.Annotations[cronjobs.AnnotationNominations])
				g.Expect(j.Name).To(Equal(digestJobName(obj.Name, tick, 1)))
				g.Expect(j.Spec.Template.Spec.Containers[0].Env).To(ContainElement(corev1.EnvVar{Name: "MOMENTUM_IDEMPOTENCY_KEY", Value: "spotlight/culture/heroes/" + tick}))
			}
			g.Expect(jobs).To(Equal(tc.jobs))
			var scheduled time.Time
			if d.status.LastScheduleTime != nil {
				scheduled = d.status.LastScheduleTime.Time
			}
			g.Expect(scheduled).To(BeTemporally("==", tc.scheduled))
			g.Expect(d.record).To(Equal(tc.record))
			g.Expect(d.ready.Reason).To(Equal(tc.reason))
		})
	}
}

// fullLedger is the largest ledger read: every key a distinct nomination.
func fullLedger() *corev1.ConfigMap {
	keys := make([]string, 0, 2*ledger.MaxKeys)
	for i := range 2 * ledger.MaxKeys {
		keys = append(keys, fmt.Sprintf("nomination/n-%d", i))
	}
	return ledger.Desired("culture", "l", nil, keys)
}

func TestDecideFullLedger(t *testing.T) {
	g := NewWithT(t)
	obj, in := world()
	in.ledger = fullLedger()
	d := decide(obj, in, t0.Add(time.Hour))
	g.Expect(d.ready.Reason).To(Equal(v1alpha1.ReasonScheduled), "the largest ledger Momentum writes is read")
	g.Expect(d.status.SpotlightedNominations).To(HaveLen(spotlight.MaxSpotlighted))
}

// BenchmarkDecideFullLedger is one decision on the largest ledger read:
// set lookups keep it linear in the ledger (go test -bench FullLedger).
func BenchmarkDecideFullLedger(b *testing.B) {
	obj, in := world()
	in.ledger = fullLedger()
	for b.Loop() {
		decide(obj, in, t0.Add(time.Hour))
	}
}
