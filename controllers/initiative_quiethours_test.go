package controllers_test

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers/initiative"
	"github.com/momentum-dev/momentum/controllers/recognitioncampaign"
	"github.com/momentum-dev/momentum/internal/cronjobs"
)

// officeHours allows messages on weekdays, 09:00-17:30 in Berlin.
func officeHours() *v1alpha1.QuietHours {
	return &v1alpha1.QuietHours{
		TimeZone: "Europe/Berlin",
		Allow:    []v1alpha1.AllowedWindow{{Days: []v1alpha1.DayRange{"Mon-Fri"}, From: "09:00", To: "17:30"}},
		Holidays: []v1alpha1.Date{"2026-12-25"},
	}
}

func celebrationJobList(g Gomega, ns string) []batchv1.Job {
	jobs := &batchv1.JobList{}
	g.Expect(k8s.List(context.Background(), jobs, client.InNamespace(ns), client.MatchingLabels{cronjobs.LabelCelebration: "true"})).To(Succeed())
	return jobs.Items
}

// A quick win on a Sunday waits, as a suspended Job, for Monday 09:00 in
// Berlin; it is posted exactly once.
func TestCelebrationWaitsForQuietHoursToEnd(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0) // Sunday 2026-11-15, 10:00 in Berlin
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	markChannelReady(t, ns, "all-hands")
	it := newInitiative(ns, "customer-first")
	it.Spec.Celebrations = &v1alpha1.Celebrations{Channel: "all-hands"}
	it.Spec.QuietHours = officeHours()
	create(t, it)
	r := newInitiativeReconciler(k8s, clk)
	r.Jobs = testJobs
	_, err := r.Reconcile(context.Background(), requestFor(it))
	g.Expect(err).NotTo(HaveOccurred())

	update(t, it, func(o *v1alpha1.Initiative) {
		o.Spec.Approvals = []v1alpha1.Approval{{Stage: "Initiation", ApprovedBy: "Dana Lee"}}
	})
	res, err := r.Reconcile(context.Background(), requestFor(it))
	g.Expect(err).NotTo(HaveOccurred())
	monday := time.Date(2026, 11, 16, 8, 0, 0, 0, time.UTC) // 09:00 in Berlin
	g.Expect(res.RequeueAfter).To(Equal(monday.Sub(t0)), "called again when messages are allowed, no polling")
	jobs := celebrationJobList(g, ns)
	g.Expect(jobs).To(HaveLen(1))
	g.Expect(jobs[0].Spec.Suspend).To(Equal(ptr.To(true)), "held, not posted")
	g.Expect(jobs[0].Annotations).To(HaveKeyWithValue(initiative.AnnotationHeld, "true"))
	g.Expect(getInitiative(g, ns, "customer-first").Status.Celebrations.Stages).To(ContainElement("Initiation"), "recorded: the Job exists")

	// Still quiet an hour before: nothing changes.
	clk.SetTime(monday.Add(-time.Hour))
	_, err = r.Reconcile(context.Background(), requestFor(it))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(*celebrationJobList(g, ns)[0].Spec.Suspend).To(BeTrue())

	// Monday 09:00: the Job is resumed, once.
	clk.SetTime(monday)
	for range 2 {
		_, err = r.Reconcile(context.Background(), requestFor(it))
		g.Expect(err).NotTo(HaveOccurred())
	}
	jobs = celebrationJobList(g, ns)
	g.Expect(jobs).To(HaveLen(1), "exactly once")
	g.Expect(*jobs[0].Spec.Suspend).To(BeFalse())
}

// A reminder whose schedule fires in quiet hours is reported, not dropped.
func TestReminderInQuietHoursIsAConflict(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	markChannelReady(t, ns, "all-hands")
	it := newInitiative(ns, "customer-first")
	it.Spec.QuietHours = officeHours()
	rem := weeklyWhy()
	rem.Stages = nil
	rem.Schedule = "0 20 * * MON"
	it.Spec.Reminders = []v1alpha1.Reminder{rem}
	create(t, it)
	r := newInitiativeReconciler(k8s, clk)
	r.Jobs = testJobs
	_, err := r.Reconcile(context.Background(), requestFor(it))
	g.Expect(err).NotTo(HaveOccurred())
	ready := condition(getInitiative(g, ns, "customer-first").Status.Conditions, v1alpha1.ConditionReady)
	g.Expect(ready.Status).To(Equal(metav1.ConditionFalse))
	g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonQuietHoursConflict))
	g.Expect(ready.Message).To(HavePrefix("reminder weekly-why fires at Mon 20:00 Europe/Berlin, in quiet hours"))
	g.Expect(*getCronJob(g, ns, weeklyWhyCronJob).Spec.Suspend).To(BeFalse(), "it still runs as scheduled")

	update(t, it, func(o *v1alpha1.Initiative) { o.Spec.Reminders[0].Schedule = "0 9 * * MON" })
	_, err = r.Reconcile(context.Background(), requestFor(it))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(condition(getInitiative(g, ns, "customer-first").Status.Conditions, v1alpha1.ConditionReady).Status).To(Equal(metav1.ConditionTrue))

	// On a holiday the reminder's CronJob is held for the day.
	christmas := time.Date(2026, 12, 25, 8, 0, 0, 0, time.UTC)
	clk.SetTime(christmas)
	res, err := r.Reconcile(context.Background(), requestFor(it))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(*getCronJob(g, ns, weeklyWhyCronJob).Spec.Suspend).To(BeTrue())
	g.Expect(res.RequeueAfter).To(Equal(time.Date(2026, 12, 25, 23, 0, 0, 0, time.UTC).Sub(christmas)))
	clk.SetTime(time.Date(2026, 12, 25, 23, 0, 0, 0, time.UTC))
	_, err = r.Reconcile(context.Background(), requestFor(it))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(*getCronJob(g, ns, weeklyWhyCronJob).Spec.Suspend).To(BeFalse())
}

// A freeze holds advancement, shows in the dry run of every stage, and
// lets go at its end.
func TestFreezeHoldsAdvancement(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	it := newInitiative(ns, "customer-first")
	it.Spec.QuietHours = &v1alpha1.QuietHours{Freezes: []v1alpha1.Freeze{{Name: "year-end", From: "2026-11-10", To: "2026-11-20"}}}
	it.Spec.Stages = []v1alpha1.Stage{
		{Name: "Initiation", ExitCriteria: &v1alpha1.ExitCriteria{Actions: []v1alpha1.Action{{Name: "publish-why", Done: true}}}},
		{Name: "Implementation", ExitCriteria: &v1alpha1.ExitCriteria{Actions: []v1alpha1.Action{{Name: "train-leaders"}}}},
		{Name: "Reinforcement"},
	}
	create(t, it)
	r := newInitiativeReconciler(k8s, clk)
	res, err := r.Reconcile(context.Background(), requestFor(it))
	g.Expect(err).NotTo(HaveOccurred())
	thaw := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	g.Expect(res.RequeueAfter).To(Equal(thaw.Sub(t0)))
	got := getInitiative(g, ns, "customer-first")
	g.Expect(got.Status.Stage).To(Equal("Initiation"))
	freezeGate := v1alpha1.GateStatus{Kind: v1alpha1.GateFreeze, Name: "year-end", Met: false,
		Message: "freeze year-end holds stage advancement until 2026-11-21T00:00:00Z"}
	g.Expect(got.Status.Gates).To(ContainElement(freezeGate))
	g.Expect(got.Status.Stages[1].Gates).To(ContainElement(freezeGate), "the dry run of the next stage shows it too")
	g.Expect(got.Status.Stages[2].Gates).NotTo(ContainElement(freezeGate), "the last stage has no exit")

	clk.SetTime(thaw)
	_, err = r.Reconcile(context.Background(), requestFor(it))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(getInitiative(g, ns, "customer-first").Status.Stage).To(Equal("Implementation"))
}

// A campaign follows its initiative's quiet hours: a spotlight fired in
// them is reported, and on a holiday the spotlight is held for the day.
func TestSpotlightFollowsTheInitiativesQuietHours(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	markChannelReady(t, ns, "all-hands")
	it := newInitiative(ns, "customer-first")
	it.Spec.QuietHours = officeHours()
	c := newCampaign(ns)
	c.Spec.Schedule = "0 20 * * FRI"
	create(t, it, c)
	r := &recognitioncampaign.Reconciler{Client: k8s, Clock: clk, Recorder: events.NewFakeRecorder(100), Jobs: testJobs}
	_, err := r.Reconcile(context.Background(), requestFor(c))
	g.Expect(err).NotTo(HaveOccurred())
	ready := condition(getCampaign(g, ns).Status.Conditions, v1alpha1.ConditionReady)
	g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonQuietHoursConflict))
	g.Expect(ready.Message).To(HavePrefix("The spotlight fires at Fri 20:00 Europe/Berlin, in the quiet hours of Initiative customer-first"))

	update(t, c, func(o *v1alpha1.RecognitionCampaign) { o.Spec.Schedule = "0 16 * * FRI" })
	// Christmas is a Friday: its spotlight is held, and not posted late.
	christmas := time.Date(2026, 12, 25, 15, 0, 0, 0, time.UTC)
	clk.SetTime(christmas.Add(time.Second))
	res, err := r.Reconcile(context.Background(), requestFor(c))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(condition(getCampaign(g, ns).Status.Conditions, v1alpha1.ConditionReady).Status).To(Equal(metav1.ConditionTrue))
	g.Expect(digestJobs(g, ns)).To(BeEmpty(), "held on the holiday")
	g.Expect(res.RequeueAfter).To(BeNumerically("<=", 8*time.Hour), "called again by the end of the holiday at the latest")
	clk.SetTime(time.Date(2026, 12, 25, 23, 0, 0, 0, time.UTC))
	_, err = r.Reconcile(context.Background(), requestFor(c))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(digestJobs(g, ns)).To(BeEmpty(), "past its deadline, the held spotlight is skipped")
	newYear := time.Date(2027, 1, 1, 15, 0, 0, 0, time.UTC)
	clk.SetTime(newYear.Add(time.Second))
	_, err = r.Reconcile(context.Background(), requestFor(c))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(digestJobs(g, ns)).To(HaveLen(1), "the next one takes its nominations")
}
