package controllers_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/names"
	"github.com/momentum-dev/momentum/internal/ssa"
)

// foreignCronJob is someone else's CronJob, created with kubectl-like
// writes; labels (e.g. Momentum's own) are the creator's choice.
func foreignCronJob(ns, name string, labels map[string]string) *batchv1.CronJob {
	return &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: labels},
		Spec: batchv1.CronJobSpec{
			Schedule: "0 2 * * *",
			JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
				RestartPolicy: corev1.RestartPolicyNever,
				Containers:    []corev1.Container{{Name: "backup", Image: "registry.example/backup:1", Args: []string{"--all"}}},
			}}}},
		},
	}
}

// untouched expects the object under cj's name to be exactly cj as created:
// same version, so no field (schedule, labels, owners, containers) changed.
func untouched(g Gomega, cj *batchv1.CronJob) {
	got := getCronJob(g, cj.Namespace, cj.Name)
	g.Expect(got.UID).To(Equal(cj.UID), "%s was replaced", cj.Name)
	g.Expect(got.ResourceVersion).To(Equal(cj.ResourceVersion), "%s was written: %+v", cj.Name, got.ObjectMeta)
	g.Expect(got.OwnerReferences).To(BeEmpty())
	g.Expect(got.Spec.JobTemplate.Spec.Template.Spec.Containers).To(HaveLen(1))
}

func readyOf(g Gomega, ns, name string) *metav1.Condition {
	ready := condition(getInitiative(g, ns, name).Status.Conditions, v1alpha1.ConditionReady)
	g.Expect(ready).NotTo(BeNil())
	return ready
}

func withReminder(ns, name, reminder string) *v1alpha1.Initiative {
	it := newInitiative(ns, name)
	it.Spec.Reminders = []v1alpha1.Reminder{{Name: reminder, Schedule: "@daily", Channel: "all-hands", Message: "{{ .Why }}"}}
	return it
}

// Initiative foo's reminder bar-baz and foo-bar's reminder baz both wanted
// CronJob foo-bar-baz: they took it from each other on every event and one
// of them was Ready without a CronJob of its own.
func TestCollidingInitiativesEachGetTheirOwnCronJob(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	foo, fooBar := withReminder(ns, "foo", "bar-baz"), withReminder(ns, "foo-bar", "baz")
	create(t, foo, fooBar)

	versions := map[string]string{}
	g.Eventually(func(g Gomega) {
		for _, it := range []*v1alpha1.Initiative{foo, fooBar} {
			name := reminderCronJob(it.Name, it.Spec.Reminders[0].Name)
			cj := getCronJob(g, ns, name)
			g.Expect(metav1.GetControllerOf(cj)).To(HaveField("Name", it.Name))
			g.Expect(cj.Labels).To(HaveKeyWithValue(cronjobs.LabelInitiative, it.Name))
			g.Expect(readyOf(g, ns, it.Name).Status).To(Equal(metav1.ConditionTrue))
			g.Expect(getInitiative(g, ns, it.Name).Status.Reminders).To(ConsistOf(HaveField("CronJobName", name)))
			versions[name] = cj.ResourceVersion
		}
	}).WithTimeout(timeout).Should(Succeed())
	g.Expect(versions).To(HaveLen(2))

	// Events on either side no longer move a CronJob between owners.
	update(t, foo, func(o *v1alpha1.Initiative) { o.Annotations = map[string]string{"nudge": "1"} })
	update(t, fooBar, func(o *v1alpha1.Initiative) { o.Annotations = map[string]string{"nudge": "1"} })
	g.Consistently(func(g Gomega) {
		for name, rv := range versions {
			g.Expect(getCronJob(g, ns, name).ResourceVersion).To(Equal(rv))
		}
	}).WithTimeout(2 * time.Second).Should(Succeed())
}

// Initiative backup with reminder nightly adopted an unrelated CronJob
// backup-nightly, merged its container into it and deleted it when the
// reminder was removed.
func TestForeignCronJobIsNeverTakenOverOrDeleted(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	plain := foreignCronJob(ns, "backup-nightly", nil)
	// Someone else's CronJob under the name today's Momentum wants, labelled
	// as Momentum's (so the manager caches it) but not controlled by it.
	squatter := foreignCronJob(ns, reminderCronJob("backup", "weekly"), map[string]string{cronjobs.LabelManagedBy: cronjobs.ManagedBy, cronjobs.LabelInitiative: "backup"})
	create(t, plain, squatter)
	it := withReminder(ns, "backup", "nightly")
	it.Spec.Reminders = append(it.Spec.Reminders, v1alpha1.Reminder{Name: "weekly", Schedule: "@weekly", Channel: "all-hands", Message: "{{ .Why }}"})
	create(t, it)

	g.Eventually(func(g Gomega) {
		g.Expect(metav1.GetControllerOf(getCronJob(g, ns, reminderCronJob("backup", "nightly")))).To(HaveField("Name", "backup"))
		ready := readyOf(g, ns, "backup")
		g.Expect(ready.Status).To(Equal(metav1.ConditionFalse))
		g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonNameConflict))
		g.Expect(ready.Message).To(ContainSubstring("reminder weekly: CronJob " + squatter.Name + " already exists"))
		g.Expect(ready.Message).To(ContainSubstring("delete or rename that object, or rename the reminder"))
		g.Expect(eventsFor(g, ns, "backup", v1alpha1.ReasonNameConflict)).NotTo(BeEmpty())
	}).WithTimeout(timeout).Should(Succeed())
	g.Consistently(func(g Gomega) {
		untouched(g, plain)
		untouched(g, squatter)
	}).WithTimeout(2 * time.Second).Should(Succeed())

	// Removing the reminders deletes only the initiative's own CronJob.
	update(t, it, func(o *v1alpha1.Initiative) { o.Spec.Reminders = nil })
	g.Eventually(func(g Gomega) {
		err := k8s.Get(context.Background(), key(ns, reminderCronJob("backup", "nightly")), &batchv1.CronJob{})
		g.Expect(apierrors.IsNotFound(err)).To(BeTrue(), "got %v", err)
		g.Expect(readyOf(g, ns, "backup").Status).To(Equal(metav1.ConditionTrue))
	}).WithTimeout(timeout).Should(Succeed())
	g.Consistently(func(g Gomega) {
		untouched(g, plain)
		untouched(g, squatter)
	}).WithTimeout(2 * time.Second).Should(Succeed())
}

// An unlabelled object under the wanted name is not in the manager's cache:
// it is found on the API server all the same, and the conflict heals when it
// goes.
func TestTakenNameHealsWhenTheObjectGoes(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	squatter := foreignCronJob(ns, reminderCronJob("backup", "nightly"), nil)
	create(t, squatter)
	it := withReminder(ns, "backup", "nightly")
	create(t, it)
	stop := startManager(t, ns, clocktesting.NewFakeClock(t0))
	g.Eventually(func(g Gomega) {
		g.Expect(readyOf(g, ns, "backup").Reason).To(Equal(v1alpha1.ReasonNameConflict))
		g.Expect(getInitiative(g, ns, "backup").Status.Reminders).To(ConsistOf(HaveField("CronJobName", "")))
	}).WithTimeout(timeout).Should(Succeed())
	untouched(g, squatter)

	// The reconciler asks to look again in a minute: nothing announces the
	// foreign object's removal.
	stop()
	r := newInitiativeReconciler(k8s, clocktesting.NewFakeClock(t0))
	res, err := r.Reconcile(context.Background(), requestFor(it))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.RequeueAfter).To(Equal(time.Minute))

	startManager(t, ns, clocktesting.NewFakeClock(t0))
	g.Expect(k8s.Delete(context.Background(), squatter)).To(Succeed())
	update(t, it, func(o *v1alpha1.Initiative) { o.Annotations = map[string]string{"recheck": "1"} })
	g.Eventually(func(g Gomega) {
		g.Expect(metav1.GetControllerOf(getCronJob(g, ns, squatter.Name))).To(HaveField("Name", "backup"))
		g.Expect(readyOf(g, ns, "backup").Status).To(Equal(metav1.ConditionTrue))
	}).WithTimeout(timeout).Should(Succeed())
}

// A campaign's digest Job name taken by someone else is a NameConflict
// too: the spotlight is not counted as posted, and goes out once it is free.
func TestTakenSpotlightNameIsANameConflict(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	startManager(t, ns, clk)
	create(t, append(allHands(ns), newInitiative(ns, "customer-first"))...)
	friday := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	squatter := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: digestJobName(friday, 1)},
		Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			RestartPolicy: corev1.RestartPolicyNever, Containers: []corev1.Container{{Name: "x", Image: "x"}},
		}}},
	}
	create(t, squatter, newCampaign(ns))
	awaitScheduled(t, ns)
	clk.SetTime(friday.Add(time.Second))
	nudgeCampaign(t, ns)
	g.Eventually(func(g Gomega) {
		st := getCampaign(g, ns).Status
		ready := condition(st.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready).NotTo(BeNil())
		g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonNameConflict))
		g.Expect(ready.Message).To(ContainSubstring("Job " + squatter.Name + " already exists"))
		g.Expect(st.LastScheduleTime.Time).To(BeTemporally("<", friday), "not counted as posted")
	}).WithTimeout(timeout).Should(Succeed())
	job := &batchv1.Job{}
	g.Expect(k8s.Get(context.Background(), key(ns, squatter.Name), job)).To(Succeed())
	g.Expect(job.OwnerReferences).To(BeEmpty())
	g.Expect(job.ResourceVersion).To(Equal(squatter.ResourceVersion))
}

// A celebration Job name held by someone else's Job is not counted as
// posted: the win waits, and the initiative says why.
func TestTakenCelebrationJobNameIsANameConflict(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	it := newInitiative(ns, "customer-first")
	it.Spec.Celebrations = &v1alpha1.Celebrations{Channel: "all-hands"}
	create(t, it)
	g.Eventually(func(g Gomega) {
		g.Expect(getInitiative(g, ns, "customer-first").Status.Celebrations).NotTo(BeNil())
	}).WithTimeout(timeout).Should(Succeed())

	jobName := names.Job(names.Child{OwnerKind: "Initiative", OwnerName: "customer-first", Role: names.RoleCelebration, Key: "stage-Initiation"})
	squatter := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: jobName},
		Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			RestartPolicy: corev1.RestartPolicyNever, Containers: []corev1.Container{{Name: "x", Image: "x"}},
		}}},
	}
	create(t, squatter)
	update(t, it, func(o *v1alpha1.Initiative) {
		o.Spec.Approvals = []v1alpha1.Approval{{Stage: "Initiation", ApprovedBy: "Dana Lee"}}
	})
	g.Eventually(func(g Gomega) {
		got := getInitiative(g, ns, "customer-first")
		g.Expect(got.Status.Stage).To(Equal("Implementation"))
		ready := condition(got.Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonNameConflict))
		g.Expect(ready.Message).To(ContainSubstring("celebration stage-Initiation: Job " + jobName + " already exists"))
		g.Expect(got.Status.Celebrations.Stages).NotTo(ContainElement("Initiation"), "the win is not recorded as posted")
	}).WithTimeout(timeout).Should(Succeed())
	job := &batchv1.Job{}
	g.Expect(k8s.Get(context.Background(), key(ns, jobName), job)).To(Succeed())
	g.Expect(job.OwnerReferences).To(BeEmpty())
	g.Expect(job.ResourceVersion).To(Equal(squatter.ResourceVersion))

	// Once the name is free, the win is posted.
	g.Expect(k8s.Delete(context.Background(), squatter, client.PropagationPolicy(metav1.DeletePropagationBackground))).To(Succeed())
	g.Eventually(func(g Gomega) {
		err := k8s.Get(context.Background(), key(ns, jobName), &batchv1.Job{})
		g.Expect(apierrors.IsNotFound(err)).To(BeTrue())
	}).WithTimeout(timeout).Should(Succeed())
	update(t, it, func(o *v1alpha1.Initiative) { o.Annotations = map[string]string{"recheck": "1"} })
	g.Eventually(func(g Gomega) {
		g.Expect(celebrationJobs(g, ns)).To(HaveKeyWithValue("stage-Initiation", jobName))
		g.Expect(getInitiative(g, ns, "customer-first").Status.Celebrations.Stages).To(ContainElement("Initiation"))
		g.Expect(readyOf(g, ns, "customer-first").Status).To(Equal(metav1.ConditionTrue))
	}).WithTimeout(timeout).Should(Succeed())
}

// A manual edit of a CronJob Momentum controls is reverted: the check for
// "nothing to write" reads the live object, not a hash of what was applied.
func TestManualEditOfOwnedCronJobIsReverted(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, newSecret(ns, "all-hands-webhook", slackAddress), newChannel(ns, "all-hands", "all-hands-webhook"))
	it := newInitiative(ns, "customer-first")
	it.Spec.Reminders = []v1alpha1.Reminder{weeklyWhy()}
	create(t, it)
	var want []string
	g.Eventually(func(g Gomega) {
		want = getCronJob(g, ns, weeklyWhyCronJob).Spec.JobTemplate.Spec.Template.Spec.Containers[0].Args
	}).WithTimeout(timeout).Should(Succeed())
	g.Expect(want).NotTo(ContainElement("--allow-cidr=0.0.0.0/0"))

	update(t, &batchv1.CronJob{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: weeklyWhyCronJob}}, func(cj *batchv1.CronJob) {
		c := &cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0]
		c.Args = append(c.Args, "--allow-cidr=0.0.0.0/0")
		cj.Spec.Schedule = "* * * * *"
	})
	g.Eventually(func(g Gomega) {
		cj := getCronJob(g, ns, weeklyWhyCronJob)
		g.Expect(cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0].Args).To(Equal(want))
		g.Expect(cj.Spec.Schedule).To(Equal("0 9 * * MON"))
	}).WithTimeout(timeout).Should(Succeed())

	// Reverted once, then left alone: no write without a change.
	rv := getCronJob(g, ns, weeklyWhyCronJob).ResourceVersion
	update(t, it, func(o *v1alpha1.Initiative) { o.Annotations = map[string]string{"nudge": "1"} })
	g.Consistently(func(g Gomega) {
		g.Expect(getCronJob(g, ns, weeklyWhyCronJob).ResourceVersion).To(Equal(rv))
	}).WithTimeout(2 * time.Second).Should(Succeed())
}

// applyAsOldVersion creates a delivery CronJob the way an earlier Momentum
// did: under its old name, applied by Momentum's field owner.
func applyAsOldVersion(t *testing.T, d cronjobs.Delivery) {
	t.Helper()
	if err := ssa.Apply(context.Background(), k8s, cronjobs.CronJob(d, testJobs), ""); err != nil {
		t.Fatalf("applying old CronJob %s: %v", d.Name, err)
	}
}

// CronJobs an earlier version created under the old names are removed once
// the new ones are applied (a campaign's spotlight CronJob, now replaced by
// digest Jobs, is removed); a CronJob under an old-style name that the owner
// does not control is not.
func TestOldNamedCronJobsAreReplaced(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	create(t, append(allHands(ns), withReminder(ns, "customer-first", "weekly-why"))...)
	it := getInitiative(g, ns, "customer-first")
	campaign := newCampaign(ns)
	create(t, campaign)
	owner := func(o client.Object, kind string) metav1.OwnerReference {
		return *metav1.NewControllerRef(o, v1alpha1.GroupVersion.WithKind(kind))
	}
	applyAsOldVersion(t, cronjobs.Delivery{Name: "customer-first-weekly-why", Namespace: ns, Owner: owner(it, "Initiative"),
		Labels:   map[string]string{cronjobs.LabelInitiative: "customer-first", cronjobs.LabelReminder: "weekly-why"},
		Schedule: "@daily", ChannelType: v1alpha1.ChannelSlack, SecretName: "all-hands-webhook", Text: "old"})
	applyAsOldVersion(t, cronjobs.Delivery{Name: "customer-heroes-spotlight", Namespace: ns, Owner: owner(campaign, "RecognitionCampaign"),
		Labels:   map[string]string{cronjobs.LabelCampaign: campaignName, cronjobs.LabelInitiative: "customer-first"},
		Schedule: "0 16 * * FRI", ChannelType: v1alpha1.ChannelSlack, SecretName: "all-hands-webhook", Text: "old"})
	plain := foreignCronJob(ns, "customer-first-nightly", map[string]string{cronjobs.LabelManagedBy: cronjobs.ManagedBy, cronjobs.LabelInitiative: "customer-first", cronjobs.LabelReminder: "weekly-why"})
	create(t, plain)

	startManager(t, ns, clocktesting.NewFakeClock(t0))
	g.Eventually(func(g Gomega) {
		g.Expect(message(getCronJob(g, ns, weeklyWhyCronJob))).To(Equal("Every customer should feel we are on their side."))
		list := &batchv1.CronJobList{}
		g.Expect(k8s.List(context.Background(), list, client.InNamespace(ns))).To(Succeed())
		var got []string
		for _, cj := range list.Items {
			got = append(got, cj.Name)
		}
		slices.Sort(got)
		g.Expect(got).To(ConsistOf(weeklyWhyCronJob, "customer-first-nightly"))
	}).WithTimeout(timeout).Should(Succeed())
	untouched(g, plain)
}

// If an object appears under the name between the lookup and the create,
// the create (which does not force) may merge into it where no field
// conflicts: Momentum then withdraws its fields again and reports the name
// as taken.
func TestCreateThatMeetsAForeignObjectWithdraws(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	create(t, withReminder(ns, "backup", "nightly"))
	it := getInitiative(g, ns, "backup")
	name := reminderCronJob("backup", "nightly")
	foreign := foreignCronJob(ns, name, nil)
	foreign.Spec.Schedule = "@daily" // what Momentum applies: no conflict
	create(t, foreign)

	desired := cronjobs.CronJob(cronjobs.Delivery{Name: name, Namespace: ns, Owner: *metav1.NewControllerRef(it, v1alpha1.GroupVersion.WithKind("Initiative")),
		Labels:   map[string]string{cronjobs.LabelInitiative: "backup", cronjobs.LabelReminder: "nightly"},
		Schedule: "@daily", ChannelType: v1alpha1.ChannelSlack, SecretName: "all-hands-webhook", Text: "x"}, testJobs)
	err := ssa.Apply(context.Background(), k8s, desired, "")
	var taken *ssa.NameTaken
	g.Expect(errors.As(err, &taken)).To(BeTrue(), "got %v", err)
	g.Expect(taken.Error()).To(ContainSubstring("CronJob " + name + " already exists"))

	got := getCronJob(g, ns, name)
	g.Expect(got.OwnerReferences).To(BeEmpty())
	g.Expect(got.Labels).To(BeEmpty())
	g.Expect(got.Spec.JobTemplate.Spec.Template.Spec.Containers).To(ConsistOf(HaveField("Name", "backup")))
	g.Expect(got.Spec.Schedule).To(Equal("@daily"))
	g.Expect(got.Spec.ConcurrencyPolicy).To(Equal(batchv1.AllowConcurrent), "back to the API server's default")
}
