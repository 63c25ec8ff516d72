package controllers_test

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
)

func TestReminderCronJobFollowsTheInitiative(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	it := newInitiative(ns, "customer-first")
	it.Spec.Reminders = []v1alpha1.Reminder{weeklyWhy()}
	create(t, it)

	// In Initiation, outside the reminder's stages: the CronJob exists, suspended.
	cjName := weeklyWhyCronJob
	var uid string
	g.Eventually(func(g Gomega) {
		cj := getCronJob(g, ns, cjName)
		g.Expect(*cj.Spec.Suspend).To(BeTrue())
		g.Expect(cj.Spec.Schedule).To(Equal("0 9 * * MON"))
		g.Expect(*cj.Spec.TimeZone).To(Equal("Europe/Berlin"))
		g.Expect(cj.Spec.ConcurrencyPolicy).To(Equal(batchv1.ForbidConcurrent))
		owner := metav1.GetControllerOf(cj)
		g.Expect(owner).NotTo(BeNil())
		g.Expect(owner.Kind).To(Equal("Initiative"))
		g.Expect(owner.Name).To(Equal("customer-first"))
		g.Expect(cj.Labels).To(HaveKeyWithValue(cronjobs.LabelInitiative, "customer-first"))
		g.Expect(cj.ManagedFields).To(ContainElement(And(HaveField("Manager", cronjobs.FieldOwner), HaveField("Operation", metav1.ManagedFieldsOperationApply))))
		g.Expect(message(cj)).To(Equal("Why we do this: Every customer should feel we are on their side. — we are in Initiation, 0% of the way."))
		uid = string(cj.UID)

		st := getInitiative(g, ns, "customer-first").Status
		g.Expect(st.Reminders).To(HaveLen(1))
		g.Expect(st.Reminders[0].CronJobName).To(Equal(cjName))
		g.Expect(st.Reminders[0].Suspended).To(BeTrue())
		g.Expect(st.Reminders[0].NextScheduleTime).To(BeNil(), "no next time while suspended")
	}).WithTimeout(timeout).Should(Succeed())

	// The pod template the API server stored (defaults included) is restricted.
	evaluator, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	g.Expect(err).NotTo(HaveOccurred())
	tmpl := getCronJob(g, ns, cjName).Spec.JobTemplate.Spec.Template
	agg := policy.AggregateCheckResults(evaluator.EvaluatePod(api.LevelVersion{Level: api.LevelRestricted, Version: api.LatestVersion()}, &tmpl.ObjectMeta, &tmpl.Spec))
	g.Expect(agg.Allowed).To(BeTrue(), "%s: %s", agg.ForbiddenReason(), agg.ForbiddenDetail())

	// Nothing changes: no write to the CronJob.
	rv := getCronJob(g, ns, cjName).ResourceVersion
	update(t, it, func(o *v1alpha1.Initiative) { o.Annotations = map[string]string{"nudge": "1"} })
	g.Consistently(func(g Gomega) {
		g.Expect(getCronJob(g, ns, cjName).ResourceVersion).To(Equal(rv))
	}).WithTimeout(2 * time.Second).Should(Succeed())

	// Entering Implementation resumes it, in place, with a fresh message.
	update(t, it, func(o *v1alpha1.Initiative) {
		o.Spec.Approvals = []v1alpha1.Approval{{Stage: "Initiation", ApprovedBy: "Dana Lee"}}
	})
	g.Eventually(func(g Gomega) {
		cj := getCronJob(g, ns, cjName)
		g.Expect(*cj.Spec.Suspend).To(BeFalse())
		g.Expect(string(cj.UID)).To(Equal(uid), "updated in place, not recreated")
		g.Expect(message(cj)).To(ContainSubstring("we are in Implementation, 33% of the way"))
		st := getInitiative(g, ns, "customer-first").Status
		g.Expect(st.Reminders[0].Suspended).To(BeFalse())
		g.Expect(st.Reminders[0].NextScheduleTime).NotTo(BeNil())
		// Monday 2026-11-16 09:00 Berlin is 08:00 UTC.
		g.Expect(st.Reminders[0].NextScheduleTime.Time).To(BeTemporally("==", time.Date(2026, 11, 16, 8, 0, 0, 0, time.UTC)))
	}).WithTimeout(timeout).Should(Succeed())

	// Suspending the initiative suspends the CronJob rather than deleting it.
	update(t, it, func(o *v1alpha1.Initiative) { o.Spec.Suspend = ptr.To(true) })
	g.Eventually(func(g Gomega) {
		g.Expect(*getCronJob(g, ns, cjName).Spec.Suspend).To(BeTrue())
	}).WithTimeout(timeout).Should(Succeed())

	// Removing the reminder removes its CronJob.
	update(t, it, func(o *v1alpha1.Initiative) { o.Spec.Reminders = nil })
	g.Eventually(func(g Gomega) {
		err := k8s.Get(context.Background(), key(ns, cjName), &batchv1.CronJob{})
		g.Expect(apierrors.IsNotFound(err)).To(BeTrue(), "got %v", err)
		g.Expect(getInitiative(g, ns, "customer-first").Status.Reminders).To(BeEmpty())
	}).WithTimeout(timeout).Should(Succeed())
}

func TestReminderTemplateErrorIsReportedBeforeAnyCronJob(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	it := newInitiative(ns, "customer-first")
	rem := weeklyWhy()
	rem.Message = "Why: {{ .Why "
	it.Spec.Reminders = []v1alpha1.Reminder{rem}
	create(t, it)

	g.Eventually(func(g Gomega) {
		got := getInitiative(g, ns, "customer-first")
		ready := condition(got.Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready).NotTo(BeNil())
		g.Expect(ready.Status).To(Equal(metav1.ConditionFalse))
		g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonTemplateInvalid))
		g.Expect(ready.Message).To(ContainSubstring("reminder weekly-why: template: message:1: unclosed action"))
		g.Expect(condition(got.Status.Conditions, v1alpha1.ConditionStalled)).To(HaveField("Status", metav1.ConditionTrue))
	}).WithTimeout(timeout).Should(Succeed())
	err := k8s.Get(context.Background(), key(ns, weeklyWhyCronJob), &batchv1.CronJob{})
	g.Expect(apierrors.IsNotFound(err)).To(BeTrue(), "no CronJob is written from a broken template")

	update(t, it, func(o *v1alpha1.Initiative) { o.Spec.Reminders[0].Message = "Why: {{ .Why }}" })
	g.Eventually(func(g Gomega) {
		g.Expect(message(getCronJob(g, ns, weeklyWhyCronJob))).To(Equal("Why: Every customer should feel we are on their side."))
		g.Expect(condition(getInitiative(g, ns, "customer-first").Status.Conditions, v1alpha1.ConditionStalled)).To(BeNil())
	}).WithTimeout(timeout).Should(Succeed())
}

func TestReminderWithMissingChannelHeals(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	it := newInitiative(ns, "customer-first")
	it.Spec.Reminders = []v1alpha1.Reminder{weeklyWhy()}
	create(t, it)
	g.Eventually(func(g Gomega) {
		ready := condition(getInitiative(g, ns, "customer-first").Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready).NotTo(BeNil())
		g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonChannelNotFound))
		g.Expect(ready.Message).To(ContainSubstring("Channel all-hands named in spec.reminders or spec.celebrations not found in namespace " + ns))
	}).WithTimeout(timeout).Should(Succeed())

	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	g.Eventually(func(g Gomega) {
		g.Expect(condition(getInitiative(g, ns, "customer-first").Status.Conditions, v1alpha1.ConditionReady).Status).To(Equal(metav1.ConditionTrue))
		getCronJob(g, ns, weeklyWhyCronJob)
	}).WithTimeout(timeout).Should(Succeed())
}

// deliveryJob is a Job as the CronJob controller would create it for a reminder.
func deliveryJob(ns, name string) *batchv1.Job {
	labels := map[string]string{cronjobs.LabelManagedBy: cronjobs.ManagedBy, cronjobs.LabelInitiative: "customer-first", cronjobs.LabelReminder: "weekly-why"}
	return &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: labels},
		Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: labels},
			Spec:       corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever, Containers: []corev1.Container{{Name: "notify", Image: "x"}}},
		}},
	}
}

func TestReminderStatusComesFromItsJobs(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	it := newInitiative(ns, "customer-first")
	it.Spec.Reminders = []v1alpha1.Reminder{weeklyWhy()}
	create(t, it)

	ok := deliveryJob(ns, "customer-first-weekly-why-1")
	create(t, ok)
	finish(t, ok, true, t0.Add(-48*time.Hour))
	g.Eventually(func(g Gomega) {
		st := getInitiative(g, ns, "customer-first").Status
		g.Expect(st.Reminders).To(HaveLen(1))
		g.Expect(st.Reminders[0].LastSuccessfulTime).NotTo(BeNil())
		g.Expect(st.Reminders[0].LastSuccessfulTime.Time).To(BeTemporally("==", t0.Add(-48*time.Hour)))
		c := condition(st.Conditions, v1alpha1.ConditionDeliveryFailing)
		g.Expect(c).NotTo(BeNil())
		g.Expect(c.Status).To(Equal(metav1.ConditionFalse))
	}).WithTimeout(timeout).Should(Succeed())

	bad := deliveryJob(ns, "customer-first-weekly-why-2")
	create(t, bad)
	finish(t, bad, false, t0.Add(-time.Hour))
	g.Eventually(func(g Gomega) {
		st := getInitiative(g, ns, "customer-first").Status
		g.Expect(st.Reminders[0].LastFailureTime).NotTo(BeNil())
		g.Expect(st.Reminders[0].LastFailureTime.Time).To(BeTemporally("==", t0.Add(-time.Hour)))
		c := condition(st.Conditions, v1alpha1.ConditionDeliveryFailing)
		g.Expect(c.Status).To(Equal(metav1.ConditionTrue))
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonDeliveryFailed))
		g.Expect(c.Message).To(ContainSubstring("weekly-why"))
	}).WithTimeout(timeout).Should(Succeed())
}
