package controllers_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// committed is a commitment reviewed in 2026-Q4 with the given outcome of
// coach-team (6m, no due date): Done 100, OnTrack 75, Behind 25.
func committed(ns, name, owner string, o v1alpha1.Outcome) *v1alpha1.Commitment {
	return newCommitment(ns, name, "customer-first", owner, reviewOf("2026-Q4", "2026-11-10", rated("coach-team", o, 0)))
}

// The initiative rolls its commitments up, hides the mean index below the
// confidentiality floor, and a commitments-sourced indicator gates a stage
// on the Success Index.
func TestSuccessIndexRollupGatesAStage(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	it := newInitiative(ns, "customer-first")
	it.Spec.Teams = []string{"support", "sales"}
	it.Spec.Stages = []v1alpha1.Stage{
		{Name: "Reinforcement", ExitCriteria: &v1alpha1.ExitCriteria{Indicators: []v1alpha1.IndicatorCriterion{{Name: "success-index"}}}},
		{Name: "Renewal"},
	}
	ind := newIndicator(ns, "success-index", "customer-first", "70")
	ind.Spec.Category = v1alpha1.CategoryCustom
	ind.Spec.Source = &v1alpha1.IndicatorSource{Commitments: &v1alpha1.CommitmentsSource{Measure: v1alpha1.MeasureMeanIndex}}
	create(t, it, ind)
	for i, o := range []v1alpha1.Outcome{v1alpha1.OutcomeDone, v1alpha1.OutcomeDone, v1alpha1.OutcomeOnTrack, v1alpha1.OutcomeBehind} {
		c := committed(ns, fmt.Sprintf("c%d", i), fmt.Sprintf("Person %d", i), o)
		if i == 0 {
			c.Spec.Owner.Name = "Dana Lee" // a sponsor
			c.Spec.Team = "support"
		}
		create(t, c)
	}

	// Four reviewed commitments: below the default floor of five.
	g.Eventually(func(g Gomega) {
		roll := getInitiative(g, ns, "customer-first").Status.Commitments
		g.Expect(roll).NotTo(BeNil())
		g.Expect(roll.Count).To(Equal(int32(4)))
		g.Expect(roll.MeanIndex).To(BeNil())
		g.Expect(roll.Hidden).To(Equal("4 reviewed commitments, fewer than the confidentiality floor of 5: the mean index is not shown"))
		// Dana Lee and support of {Dana Lee, Ravi Patel, support, sales}.
		g.Expect(roll.Participation).To(Equal(ptr.To[int32](50)))
		g.Expect(roll.ReviewsOnTime).To(Equal(ptr.To[int32](100)))
		got := getIndicator(g, ns, "success-index")
		g.Expect(got.Status.Value).To(BeNil(), "the floor hides the mean from the indicator too")
		g.Expect(got.Status.LastFailure).To(ContainSubstring("fewer than the confidentiality floor of 5"))
	}).WithTimeout(timeout).Should(Succeed())
	g.Expect(getInitiative(g, ns, "customer-first").Status.Stage).To(Equal("Reinforcement"))

	// A fifth: (100+100+75+25+100)/5 = 80 ≥ 70, so the stage's gate is met.
	create(t, committed(ns, "c4", "Ravi Patel", v1alpha1.OutcomeDone))
	g.Eventually(func(g Gomega) {
		got := getInitiative(g, ns, "customer-first")
		g.Expect(got.Status.Commitments.MeanIndex).To(Equal(ptr.To[int32](80)))
		g.Expect(got.Status.Commitments.Hidden).To(BeEmpty())
		g.Expect(got.Status.Commitments.Participation).To(Equal(ptr.To[int32](75)))
		g.Expect(getIndicator(g, ns, "success-index").Status.Value).To(Equal(ptr.To[v1alpha1.Decimal]("80")))
		g.Expect(got.Status.Stage).To(Equal("Renewal"))
	}).WithTimeout(timeout).Should(Succeed())

	// A higher floor hides it again.
	update(t, it, func(o *v1alpha1.Initiative) { o.Spec.ConfidentialityFloor = ptr.To[int32](6) })
	g.Eventually(func(g Gomega) {
		roll := getInitiative(g, ns, "customer-first").Status.Commitments
		g.Expect(roll.MeanIndex).To(BeNil())
		g.Expect(roll.Hidden).To(ContainSubstring("confidentiality floor of 6"))
	}).WithTimeout(timeout).Should(Succeed())
}

// The review digest is a CronJob on the same restricted delivery path,
// listing the commitments whose review is due.
func TestReviewDigestListsReviewsDue(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	markChannelReady(t, ns, "all-hands")
	it := newInitiative(ns, "customer-first")
	it.Spec.ReviewReminder = &v1alpha1.ReviewReminder{Channel: "all-hands", Schedule: "0 9 * * MON", TimeZone: "Europe/Berlin"}
	late := newCommitment(ns, "dana", "customer-first", "Dana Lee", reviewOf("2026-Q2", "2026-06-20", rated("coach-team", v1alpha1.OutcomeOnTrack, 0)))
	late.Spec.Owner.Handle = "@dana"
	create(t, it, late, committed(ns, "ravi", "Ravi Patel", v1alpha1.OutcomeDone))
	r := newInitiativeReconciler(k8s, clk)
	r.Jobs = testJobs

	res, err := r.Reconcile(context.Background(), requestFor(it))
	g.Expect(err).NotTo(HaveOccurred())
	cj := getCronJob(g, ns, reminderCronJob("customer-first", "review-digest"))
	g.Expect(*cj.Spec.TimeZone).To(Equal("Europe/Berlin"))
	g.Expect(*cj.Spec.Suspend).To(BeFalse())
	g.Expect(message(cj)).To(ContainSubstring("- Dana Lee (@dana) with Alex Kim: review due by 2026-09-30 (overdue)"))
	g.Expect(message(cj)).NotTo(ContainSubstring("Ravi Patel"), "reviewed this quarter: due only from 2027-01-01")
	g.Expect(cj.Spec.JobTemplate.Spec.Template.Spec.AutomountServiceAccountToken).To(Equal(ptr.To(false)))
	got := getInitiative(g, ns, "customer-first")
	g.Expect(got.Status.ReviewReminder.CronJobName).To(Equal(reminderCronJob("customer-first", "review-digest")))
	g.Expect(got.Status.Commitments.OverdueReviews).To(Equal(int32(1)))
	g.Expect(res.RequeueAfter).To(BeNumerically("<=", 24*time.Hour), "the next Monday run")

	// Dana's review lands: nothing is due, so the digest is suspended.
	update(t, late, func(o *v1alpha1.Commitment) {
		o.Spec.Reviews = append(o.Spec.Reviews, reviewOf("2026-Q4", "2026-11-12", rated("coach-team", v1alpha1.OutcomeDone, 0)))
	})
	_, err = r.Reconcile(context.Background(), requestFor(it))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(*getCronJob(g, ns, reminderCronJob("customer-first", "review-digest")).Spec.Suspend).To(BeTrue())
	g.Expect(getInitiative(g, ns, "customer-first").Status.ReviewReminder.Suspended).To(BeTrue())

	// Removing the digest removes its CronJob.
	update(t, it, func(o *v1alpha1.Initiative) { o.Spec.ReviewReminder = nil })
	_, err = r.Reconcile(context.Background(), requestFor(it))
	g.Expect(err).NotTo(HaveOccurred())
	g.Eventually(func(g Gomega) {
		g.Expect(getInitiative(g, ns, "customer-first").Status.ReviewReminder).To(BeNil())
	}).WithTimeout(timeout).Should(Succeed())
	g.Expect(condition(getInitiative(g, ns, "customer-first").Status.Conditions, v1alpha1.ConditionReady).Status).To(Equal(metav1.ConditionTrue))
}
