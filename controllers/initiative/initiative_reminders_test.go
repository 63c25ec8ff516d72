package initiative

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
)

func TestPlanReminders(t *testing.T) {
	name := reminderName("customer-first", "standup")
	cases := map[string]struct {
		// reminder and ch are what the plan sees; suspend sets spec.suspend.
		reminder v1alpha1.Reminder
		ch       inputs
		suspend  bool
		// apply names the CronJobs to write, keep those to keep.
		apply, keep []string
		// status is the reminder's status.
		suspended, scheduled bool
		cronJobName          string
		// faults are what the plan reports.
		invalid, missing, unready, conflicts []string
	}{
		"a Ready channel: the CronJob is applied": {reminder: daily("standup", "team"), ch: withChannels([]string{"team"}),
			apply: []string{name}, keep: []string{name}, scheduled: true, cronJobName: name},
		"suspended: applied suspended, no next run": {reminder: daily("standup", "team"), ch: withChannels([]string{"team"}), suspend: true,
			apply: []string{name}, keep: []string{name}, suspended: true, cronJobName: name},
		"only in another stage: suspended": {reminder: func() v1alpha1.Reminder {
			r := daily("standup", "team")
			r.Stages = []string{"Reinforcement"}
			return r
		}(),
			ch: withChannels([]string{"team"}), apply: []string{name}, keep: []string{name}, suspended: true, cronJobName: name},
		"a broken schedule": {reminder: func() v1alpha1.Reminder { r := daily("standup", "team"); r.Schedule = "61 * * * *"; return r }(),
			ch: withChannels([]string{"team"}), invalid: []string{"reminder standup: schedule"}, cronJobName: name},
		"a broken template": {reminder: func() v1alpha1.Reminder { r := daily("standup", "team"); r.Message = "{{ .Nope"; return r }(),
			ch: withChannels([]string{"team"}), invalid: []string{"reminder standup:"}, scheduled: true, cronJobName: name},
		"a missing channel": {reminder: daily("standup", "team"), ch: withChannels(nil), missing: []string{"team"}, scheduled: true, cronJobName: name},
		"a channel not Ready: nothing scheduled": {reminder: daily("standup", "team"), ch: withChannels(nil, "team"),
			unready: []string{"team"}, suspended: true, cronJobName: name},
		"the name is taken": {reminder: daily("standup", "team"), ch: func() inputs {
			ch := withChannels([]string{"team"})
			ch.taken[name] = "ConfigMap holds it"
			return ch
		}(), conflicts: []string{"reminder standup: ConfigMap holds it"}, scheduled: true},
	}
	for n, tc := range cases {
		t.Run(n, func(t *testing.T) {
			g := NewWithT(t)
			obj := fixture(tc.reminder)
			obj.Spec.Suspend = ptr.To(tc.suspend)
			plan := planReminders(obj, nil, tc.ch, cronjobs.Options{}, t0)
			var applied []string
			for _, cj := range plan.apply {
				applied = append(applied, cj.Name)
				g.Expect(*cj.Spec.Suspend).To(Equal(tc.suspended))
			}
			g.Expect(applied).To(Equal(tc.apply))
			g.Expect(plan.keep).To(HaveLen(len(tc.keep)))
			for _, k := range tc.keep {
				g.Expect(plan.keep).To(HaveKey(k))
			}
			g.Expect(plan.statuses).To(HaveLen(1))
			st := plan.statuses[0]
			g.Expect(st.Suspended).To(Equal(tc.suspended))
			g.Expect(st.NextScheduleTime != nil).To(Equal(tc.scheduled))
			g.Expect(st.CronJobName).To(Equal(tc.cronJobName))
			g.Expect(plan.missingChannels).To(Equal(tc.missing))
			g.Expect(plan.unreadyChannels).To(Equal(tc.unready))
			g.Expect(plan.conflicts).To(Equal(tc.conflicts))
			g.Expect(plan.invalid).To(HaveLen(len(tc.invalid)))
			for i, prefix := range tc.invalid {
				g.Expect(plan.invalid[i]).To(HavePrefix(prefix))
			}
			if tc.scheduled {
				g.Expect(plan.nextAt).To(Equal(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)))
			}
		})
	}
}

func TestPlanRemindersRendersTheNewStage(t *testing.T) {
	g := NewWithT(t)
	obj := fixture(daily("standup", "team"))
	obj.Status.Stage = "Reinforcement" // what decide passes: the initiative with its new status
	plan := planReminders(obj, nil, withChannels([]string{"team"}), cronjobs.Options{}, t0)
	g.Expect(plan.apply).To(HaveLen(1))
	g.Expect(plan.apply[0].Spec.JobTemplate.Spec.Template.Spec.Containers[0].Env).To(ContainElement(HaveField("Value", "customer-first is in Reinforcement")))
}

func TestReminderPlanMerge(t *testing.T) {
	a, b := t0.Add(time.Hour), t0.Add(time.Minute)
	cases := map[string]struct {
		p, o reminderPlan
		want reminderPlan
	}{
		"both empty": {want: reminderPlan{keep: map[string]bool{}}},
		"keeps are joined, the earliest next time wins, channels sorted once": {
			p:    reminderPlan{keep: map[string]bool{"x": true}, nextAt: a, missingChannels: []string{"b"}, statuses: []v1alpha1.ReminderStatus{{Name: "x"}}},
			o:    reminderPlan{keep: map[string]bool{"y": true}, nextAt: b, missingChannels: []string{"a", "b"}, failing: []string{"y"}},
			want: reminderPlan{keep: map[string]bool{"x": true, "y": true}, nextAt: b, missingChannels: []string{"a", "b"}, statuses: []v1alpha1.ReminderStatus{{Name: "x"}}, failing: []string{"y"}},
		},
		"no next time on one side": {p: reminderPlan{nextAt: a}, want: reminderPlan{keep: map[string]bool{}, nextAt: a}},
	}
	for n, tc := range cases {
		t.Run(n, func(t *testing.T) {
			NewWithT(t).Expect(tc.p.merge(tc.o)).To(Equal(tc.want))
		})
	}
}

func TestObservedReminder(t *testing.T) {
	cases := map[string]struct {
		jobs     []batchv1.Job
		existing *batchv1.CronJob
		// failing and keep are what it observes.
		failing, keep bool
	}{
		"nothing ran yet":             {},
		"the newest delivery failed":  {jobs: []batchv1.Job{finished("standup", false, t0), finished("standup", true, t0.Add(time.Hour))}, failing: true},
		"the newest delivery worked":  {jobs: []batchv1.Job{finished("standup", true, t0), finished("standup", false, t0.Add(time.Hour))}},
		"another reminder's failures": {jobs: []batchv1.Job{finished("other", true, t0)}},
		"an existing CronJob is kept": {existing: &batchv1.CronJob{ObjectMeta: metav1.ObjectMeta{Name: "old-name"}}, keep: true},
	}
	for n, tc := range cases {
		t.Run(n, func(t *testing.T) {
			g := NewWithT(t)
			plan, st := observed("standup", "new-name", tc.existing, tc.jobs)
			g.Expect(st.Name).To(Equal("standup"))
			g.Expect(st.CronJobName).To(Equal("new-name"))
			if tc.failing {
				g.Expect(plan.failing).To(Equal([]string{"standup"}))
			} else {
				g.Expect(plan.failing).To(BeEmpty())
			}
			g.Expect(plan.keep["old-name"]).To(Equal(tc.keep))
		})
	}
}

func TestCurrentOf(t *testing.T) {
	labelled := func(name, reminder string) *batchv1.CronJob {
		return &batchv1.CronJob{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{cronjobs.LabelReminder: reminder}}}
	}
	cases := map[string]struct {
		owned map[string]*batchv1.CronJob
		want  string // "" for none
	}{
		"none":                              {owned: map[string]*batchv1.CronJob{}},
		"under today's name":                {owned: map[string]*batchv1.CronJob{"today": labelled("today", "standup"), "a-old": labelled("a-old", "standup")}, want: "today"},
		"a stand-in under an older name":    {owned: map[string]*batchv1.CronJob{"b-old": labelled("b-old", "standup"), "a-old": labelled("a-old", "standup")}, want: "a-old"},
		"another reminder's is no stand-in": {owned: map[string]*batchv1.CronJob{"a-old": labelled("a-old", "retro")}},
	}
	for n, tc := range cases {
		t.Run(n, func(t *testing.T) {
			g := NewWithT(t)
			got := currentOf(tc.owned, "standup", "today")
			if tc.want == "" {
				g.Expect(got).To(BeNil())
				return
			}
			g.Expect(got).NotTo(BeNil())
			g.Expect(got.Name).To(Equal(tc.want))
		})
	}
}

func TestDeliveryCondition(t *testing.T) {
	cases := map[string]struct {
		failing, celebrations []string
		status                metav1.ConditionStatus
		reason                string
	}{
		"all good":                    {status: metav1.ConditionFalse, reason: v1alpha1.ReasonDeliveriesSucceeding},
		"a reminder failed":           {failing: []string{"standup"}, status: metav1.ConditionTrue, reason: v1alpha1.ReasonDeliveryFailed},
		"a celebration was given up":  {celebrations: []string{"stage-A"}, status: metav1.ConditionTrue, reason: v1alpha1.ReasonCelebrationFailed},
		"both: the celebration first": {failing: []string{"standup"}, celebrations: []string{"stage-A"}, status: metav1.ConditionTrue, reason: v1alpha1.ReasonCelebrationFailed},
	}
	for n, tc := range cases {
		t.Run(n, func(t *testing.T) {
			g := NewWithT(t)
			status, reason, msg := deliveryCondition(tc.failing, tc.celebrations)
			g.Expect(status).To(Equal(tc.status))
			g.Expect(reason).To(Equal(tc.reason))
			for _, name := range append(tc.failing, tc.celebrations...) {
				g.Expect(msg).To(ContainSubstring(name))
			}
		})
	}
}
