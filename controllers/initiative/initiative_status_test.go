package initiative

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/momentum"
	"github.com/momentum-dev/momentum/internal/stages"
)

func TestDecide(t *testing.T) {
	oldReminders := []v1alpha1.ReminderStatus{{Name: "gone", CronJobName: "customer-first-gone"}}
	cases := map[string]struct {
		// obj and ch are what decide sees.
		obj *v1alpha1.Initiative
		ch  inputs
		// ready and stalled are Ready's reason and the Stalled reason.
		ready, stalled string
		// reminders are the names recorded once the apply succeeded;
		// jobs the celebration Jobs to create.
		reminders []string
		jobs      int
		// warned is true when a Warning Event goes out.
		warned bool
	}{
		"a reminder to a Ready channel": {obj: fixture(daily("standup", "team")), ch: withChannels([]string{"team"}),
			ready: v1alpha1.ReasonStageInProgress, reminders: []string{"standup"}},
		"the stage is gone: status kept, stalled": {obj: func() *v1alpha1.Initiative {
			o := fixture()
			o.Status.Stage = "Gone"
			o.Status.Reminders = oldReminders
			return o
		}(),
			ch: withChannels(nil), ready: v1alpha1.ReasonStageNotFound, stalled: v1alpha1.ReasonStageNotFound, reminders: []string{"gone"}, warned: true},
		"a missing channel": {obj: fixture(daily("standup", "team")), ch: withChannels(nil),
			ready: v1alpha1.ReasonChannelNotFound, reminders: []string{"standup"}, warned: true},
		"the celebrations' channel is missing": {obj: func() *v1alpha1.Initiative {
			o := fixture()
			o.Spec.Celebrations = &v1alpha1.Celebrations{Channel: "wins"}
			return o
		}(), ch: withChannels(nil), ready: v1alpha1.ReasonChannelNotFound, warned: true},
		"celebrations start afresh without a win": {obj: func() *v1alpha1.Initiative {
			o := fixture()
			o.Spec.Celebrations = &v1alpha1.Celebrations{Channel: "wins"}
			return o
		}(), ch: withChannels([]string{"wins"}), ready: v1alpha1.ReasonStageInProgress},
		"suspended": {obj: func() *v1alpha1.Initiative { o := fixture(); o.Spec.Suspend = ptr.To(true); return o }(), ch: withChannels(nil),
			ready: v1alpha1.ReasonSuspended},
		"a reminder in quiet hours": {obj: func() *v1alpha1.Initiative {
			o := fixture(daily("standup", "team"))
			o.Spec.QuietHours = &v1alpha1.QuietHours{Allow: []v1alpha1.AllowedWindow{{Days: []v1alpha1.DayRange{"Mon-Fri"}, From: "10:00", To: "17:00"}}}
			return o
		}(), ch: withChannels([]string{"team"}), ready: v1alpha1.ReasonQuietHoursConflict, reminders: []string{"standup"}, warned: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			given := tc.obj.DeepCopy()
			d := decide(tc.obj, map[string]*v1alpha1.LeadingIndicator{}, nil, tc.ch, cronjobs.Options{}, t0)
			g.Expect(tc.obj).To(Equal(given), "decide changes nothing it is given")
			g.Expect(d.ready.Reason).To(Equal(tc.ready))
			g.Expect(d.stalled).To(Equal(tc.stalled))
			// The new status does not yet say anything about the children:
			// that is recorded only once the apply succeeded.
			g.Expect(d.status.Reminders).To(Equal(given.Status.Reminders))
			var recorded []string
			for _, r := range d.recorded.reminders {
				recorded = append(recorded, r.Name)
			}
			g.Expect(recorded).To(Equal(tc.reminders))
			g.Expect(d.wins.jobs).To(HaveLen(tc.jobs))
			var warned bool
			for _, e := range d.events {
				warned = warned || e.Type == corev1.EventTypeWarning
			}
			g.Expect(warned).To(Equal(tc.warned))
		})
	}
}

func TestDecideRecordsCelebrationsOnlyThroughRecorded(t *testing.T) {
	g := NewWithT(t)
	obj := fixture()
	obj.Spec.Celebrations = &v1alpha1.Celebrations{Channel: "wins"}
	d := decide(obj, map[string]*v1alpha1.LeadingIndicator{}, nil, withChannels([]string{"wins"}), cronjobs.Options{}, t0)
	g.Expect(d.status.Celebrations).To(BeNil(), "not in the status written when the apply fails")
	g.Expect(d.recorded.celebrations).NotTo(BeNil(), "recorded once the apply succeeded")

	st := d.status
	d.recorded.into(&st)
	g.Expect(st.Celebrations).To(Equal(d.recorded.celebrations))
	g.Expect(recordedOf(st)).To(Equal(d.recorded))
}

func TestStageStatus(t *testing.T) {
	entered := metav1.NewTime(t0.Add(-time.Hour))
	measured := metav1.NewTime(t0.Add(-time.Minute))
	cases := map[string]struct {
		out  stages.Outcome
		inds []v1alpha1.LeadingIndicator
		// progressAt is status.lastProgressTime.
		progressAt metav1.Time
		summary    v1alpha1.IndicatorSummary
	}{
		"entered, nothing measured": {out: stages.Outcome{Stage: "Initiation", EnteredAt: entered, Progress: 10}, progressAt: entered},
		"an indicator measured since": {out: stages.Outcome{Stage: "Initiation", EnteredAt: entered},
			inds:       []v1alpha1.LeadingIndicator{{Status: v1alpha1.LeadingIndicatorStatus{MeasuredAt: &measured, Health: v1alpha1.HealthOnTarget}}, {}},
			progressAt: measured, summary: v1alpha1.IndicatorSummary{Total: 2, OnTarget: 1, Unknown: 1}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			st := stageStatus(fixture(), tc.out, tc.inds, t0)
			g.Expect(st.Stage).To(Equal(tc.out.Stage))
			g.Expect(st.Progress).To(HaveValue(Equal(tc.out.Progress)))
			g.Expect(st.StageEnteredAt).To(HaveValue(Equal(tc.out.EnteredAt)))
			g.Expect(st.LastProgressTime).To(HaveValue(Equal(tc.progressAt)))
			g.Expect(st.Indicators).To(HaveValue(Equal(tc.summary)))
		})
	}
}

func TestLastProgress(t *testing.T) {
	entered := metav1.NewTime(t0.Add(-time.Hour))
	before := metav1.NewTime(t0.Add(-time.Minute))
	gate := func(met bool) []v1alpha1.GateStatus {
		return []v1alpha1.GateStatus{{Kind: "Indicator", Name: "nps", Met: met}}
	}
	cases := map[string]struct {
		prev v1alpha1.InitiativeStatus
		out  stages.Outcome
		want metav1.Time
	}{
		"the stage was entered":            {out: stages.Outcome{EnteredAt: entered}, want: entered},
		"it never moves back":              {prev: v1alpha1.InitiativeStatus{LastProgressTime: &before}, out: stages.Outcome{EnteredAt: entered}, want: before},
		"a gate newly met is progress now": {prev: v1alpha1.InitiativeStatus{Stage: "A", Gates: gate(false)}, out: stages.Outcome{Stage: "A", EnteredAt: entered, Gates: gate(true)}, want: metav1.NewTime(t0)},
		"a gate still met is not":          {prev: v1alpha1.InitiativeStatus{Stage: "A", Gates: gate(true)}, out: stages.Outcome{Stage: "A", EnteredAt: entered, Gates: gate(true)}, want: entered},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(lastProgress(&tc.prev, tc.out, nil, t0)).To(HaveValue(Equal(tc.want)))
		})
	}
}

func TestAdvanceEvents(t *testing.T) {
	cases := map[string]struct {
		out    stages.Outcome
		events int
	}{
		"no change":          {},
		"started":            {out: stages.Outcome{Entered: &stages.Transition{To: "Initiation"}}},
		"advanced: an Event": {out: stages.Outcome{Entered: &stages.Transition{From: "Initiation", To: "Implementation", Reason: "all met"}}, events: 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			events := advanceEvents(tc.out)
			g.Expect(events).To(HaveLen(tc.events))
			for _, e := range events {
				g.Expect(e.Reason).To(Equal(v1alpha1.EventReasonStageAdvanced))
				g.Expect(e.Note).To(ContainSubstring("Initiation to Implementation"))
			}
		})
	}
}

func TestRecheckAt(t *testing.T) {
	cases := map[string]struct {
		obj  *v1alpha1.Initiative
		out  stages.Outcome
		at   []time.Time
		want time.Time
	}{
		"nothing due":          {obj: fixture()},
		"the earliest wins":    {obj: fixture(), out: stages.Outcome{RecheckAt: t0.Add(time.Hour)}, at: []time.Time{{}, t0.Add(time.Minute)}, want: t0.Add(time.Minute)},
		"only the gate":        {obj: fixture(), out: stages.Outcome{RecheckAt: t0.Add(time.Hour)}, at: []time.Time{{}}, want: t0.Add(time.Hour)},
		"chained advance: now": {obj: fixture(), out: stages.Outcome{Entered: &stages.Transition{To: "B"}, Ready: true}, at: []time.Time{t0.Add(time.Minute)}, want: t0},
		"final: no chain":      {obj: fixture(), out: stages.Outcome{Entered: &stages.Transition{To: "B"}, Ready: true, Final: true}},
		"suspended: no chain": {obj: func() *v1alpha1.Initiative { o := fixture(); o.Spec.Suspend = ptr.To(true); return o }(),
			out: stages.Outcome{Entered: &stages.Transition{To: "B"}, Ready: true}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(recheckAt(tc.obj, tc.out, t0, tc.at...)).To(Equal(tc.want))
		})
	}
}

func TestSetMomentumAtRiskAndDeliveryFailing(t *testing.T) {
	cases := map[string]struct {
		obj     *v1alpha1.Initiative
		risk    momentum.Risk
		failing []string
		// atRisk and delivery are the conditions' statuses; "" for absent.
		atRisk, delivery metav1.ConditionStatus
	}{
		"nothing delivered, not at risk": {obj: fixture(), risk: momentum.Risk{Reason: "OnTrack"}, atRisk: metav1.ConditionFalse},
		"at risk":                        {obj: fixture(), risk: momentum.Risk{AtRisk: true, Reason: "Stalled"}, atRisk: metav1.ConditionTrue},
		"a reminder failing": {obj: fixture(daily("standup", "team")), risk: momentum.Risk{Reason: "OnTrack"}, failing: []string{"standup"},
			atRisk: metav1.ConditionFalse, delivery: metav1.ConditionTrue},
		"reminders succeeding": {obj: fixture(daily("standup", "team")), risk: momentum.Risk{Reason: "OnTrack"},
			atRisk: metav1.ConditionFalse, delivery: metav1.ConditionFalse},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			conds := []metav1.Condition{{Type: v1alpha1.ConditionDeliveryFailing, Status: metav1.ConditionTrue, Reason: "Old"}}
			setMomentumAtRisk(&conds, tc.risk, 1, t0)
			setDeliveryFailing(&conds, tc.obj, tc.failing, nil, t0)
			g.Expect(meta.FindStatusCondition(conds, v1alpha1.ConditionMomentumAtRisk)).To(HaveField("Status", tc.atRisk))
			if tc.delivery == "" {
				g.Expect(meta.FindStatusCondition(conds, v1alpha1.ConditionDeliveryFailing)).To(BeNil())
				return
			}
			g.Expect(meta.FindStatusCondition(conds, v1alpha1.ConditionDeliveryFailing)).To(HaveField("Status", tc.delivery))
		})
	}
}

func TestTargetDuration(t *testing.T) {
	spec := v1alpha1.InitiativeSpec{Stages: []v1alpha1.Stage{{Name: "A", TargetDuration: &metav1.Duration{Duration: time.Hour}}, {Name: "B"}}}
	cases := map[string]struct {
		stage string
		want  time.Duration
	}{
		"with a target":    {stage: "A", want: time.Hour},
		"without a target": {stage: "B"},
		"no such stage":    {stage: "C"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(targetDuration(spec, tc.stage)).To(Equal(tc.want))
		})
	}
}
