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
	"k8s.io/client-go/tools/events"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers/recognitioncampaign"
	"github.com/momentum-dev/momentum/internal/cronjobs"
)

func digestOf(cj *batchv1.CronJob) string {
	for _, e := range cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0].Env {
		if e.Name == "MOMENTUM_MESSAGE" {
			return e.Value
		}
	}
	return ""
}

// spotlightJob is a Job as the CronJob controller would create it from the
// spotlight: its template's labels and annotations.
func spotlightJob(ns, name string, cj *batchv1.CronJob) *batchv1.Job {
	labels := map[string]string{cronjobs.LabelManagedBy: cronjobs.ManagedBy, cronjobs.LabelCampaign: campaignName, cronjobs.LabelInitiative: "customer-first"}
	return &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: labels,
			Annotations: map[string]string{cronjobs.AnnotationNominations: cj.Spec.JobTemplate.Annotations[cronjobs.AnnotationNominations]}},
		Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: labels},
			Spec:       corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever, Containers: []corev1.Container{{Name: "notify", Image: "x"}}},
		}},
	}
}

func TestRecognitionCampaignSpotlightsEachNominationOnce(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, allHands(ns)...)
	create(t, newInitiative(ns, "customer-first"))
	campaign := newCampaign(ns)
	create(t, campaign)

	// Friday 16:00 in Berlin (CET) after t0, Sunday 2026-11-15.
	nextFriday := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	g.Eventually(func(g Gomega) {
		got := getCampaign(g, ns)
		st := got.Status
		ready := condition(st.Conditions, v1alpha1.ConditionReady)
		g.Expect(ready).NotTo(BeNil())
		g.Expect(ready.Status).To(Equal(metav1.ConditionTrue))
		g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonScheduled))
		g.Expect(ready.Message).To(Equal("Next spotlight at 2026-11-20T16:00:00+01:00: 2 nominations pending, 1 nomination rejected (see status.rejected)"))
		g.Expect(st.ObservedGeneration).To(Equal(got.Generation))
		g.Expect(kstatusOf(g, got)).To(Equal("Current"))

		g.Expect(st.Nominations).To(HaveValue(Equal(int32(2))))
		g.Expect(st.Pending).To(HaveValue(Equal(int32(2))))
		g.Expect(st.Spotlighted).To(HaveValue(BeZero()))
		g.Expect(st.ByBehavior).To(Equal([]v1alpha1.BehaviorCount{{Behavior: "close-the-loop", Count: 2}}))
		g.Expect(st.LeadershipShare).To(Equal(ptr.To[int32](50)), "the sponsor's nomination of the two that qualify")
		g.Expect(st.PeerShare).To(Equal(ptr.To[int32](50)))
		g.Expect(st.Rejected).To(HaveExactElements(And(
			HaveField("Name", "kim-upsell"),
			HaveField("Reason", ContainSubstring("behavior upsell-everything is not in the campaign's spec.behaviors")))))
		g.Expect(st.SpotlightedNominations).To(BeEmpty())
		g.Expect(st.NextPublicationTime).NotTo(BeNil())
		g.Expect(st.NextPublicationTime.Time).To(BeTemporally("==", nextFriday))
		g.Expect(st.LastPublicationTime).To(BeNil())
		g.Expect(st.CronJobName).To(Equal(spotlightCronJob))
	}).WithTimeout(timeout).Should(Succeed())
	g.Eventually(func(g Gomega) {
		rejected := eventsFor(g, ns, campaignName, v1alpha1.EventReasonNominationRejected)
		g.Expect(rejected).To(HaveLen(1))
		g.Expect(rejected[0].Type).To(Equal(corev1.EventTypeWarning))
		g.Expect(rejected[0].Note).To(ContainSubstring("Nomination kim-upsell does not qualify"))
	}).WithTimeout(timeout).Should(Succeed())

	var cj *batchv1.CronJob
	g.Eventually(func(g Gomega) {
		cj = getSpotlight(g, ns)
		g.Expect(cj.Spec.JobTemplate.Annotations).To(HaveKeyWithValue(cronjobs.AnnotationNominations, "ana-followup,sam-renewal"))
	}).WithTimeout(timeout).Should(Succeed())
	owner := metav1.GetControllerOf(cj)
	g.Expect(owner).NotTo(BeNil())
	g.Expect(owner.Kind).To(Equal("RecognitionCampaign"))
	g.Expect(owner.Name).To(Equal(campaignName))
	g.Expect(owner.UID).To(Equal(getCampaign(g, ns).UID))
	g.Expect(cj.Spec.Schedule).To(Equal("0 16 * * FRI"))
	g.Expect(cj.Spec.TimeZone).To(Equal(ptr.To("Europe/Berlin")))
	g.Expect(cj.Spec.Suspend).To(Equal(ptr.To(false)))
	g.Expect(cj.Labels).To(HaveKeyWithValue(cronjobs.LabelCampaign, campaignName))
	g.Expect(cj.Labels).To(HaveKeyWithValue(cronjobs.LabelInitiative, "customer-first"))
	digest := digestOf(cj)
	g.Expect(digest).To(Equal("Customer heroes this week\n" +
		"• Ana Gomez — close-the-loop: Followed up on every detractor of the October survey. — nominated by Dana Lee\n" +
		"• Sam Ortiz — close-the-loop: Turned a cancellation into a renewal by calling the customer the same day. (Renewed a 40k account) — nominated by Priya Nair"))
	g.Expect(digest).NotTo(ContainSubstring("Kim Roe"), "a rejected nomination is never published")

	// A failed delivery marks nothing, and the reconcile it triggers changes
	// nothing, so it writes nothing: neither object moves.
	failed := spotlightJob(ns, "customer-heroes-spotlight-1", cj)
	campaignRV, cronJobRV := getCampaign(g, ns).ResourceVersion, cj.ResourceVersion
	create(t, failed)
	finish(t, failed, false, t0)
	g.Consistently(func(g Gomega) {
		g.Expect(getCampaign(g, ns).ResourceVersion).To(Equal(campaignRV))
		g.Expect(getSpotlight(g, ns).ResourceVersion).To(Equal(cronJobRV))
	}).WithTimeout(2 * time.Second).Should(Succeed())

	// The retried delivery succeeds: what it published is never published again.
	published := t0.Add(time.Hour)
	ok := spotlightJob(ns, "customer-heroes-spotlight-2", cj)
	create(t, ok)
	finish(t, ok, true, published)
	g.Eventually(func(g Gomega) {
		st := getCampaign(g, ns).Status
		g.Expect(st.SpotlightedNominations).To(Equal([]string{"ana-followup", "sam-renewal"}))
		g.Expect(st.Pending).To(HaveValue(BeZero()))
		g.Expect(st.Spotlighted).To(HaveValue(Equal(int32(2))))
		g.Expect(st.LastPublicationTime).NotTo(BeNil())
		g.Expect(st.LastPublicationTime.Time).To(BeTemporally("==", published))
		g.Expect(condition(st.Conditions, v1alpha1.ConditionReady).Message).To(ContainSubstring(": 0 nominations pending"))
		cj := getSpotlight(g, ns)
		g.Expect(digestOf(cj)).To(Equal(emptyDigest))
		g.Expect(cj.Spec.JobTemplate.Annotations).To(HaveKeyWithValue(cronjobs.AnnotationNominations, ""))
	}).WithTimeout(timeout).Should(Succeed())
	g.Eventually(func(g Gomega) {
		spotlighted := eventsFor(g, ns, campaignName, v1alpha1.EventReasonSpotlighted)
		g.Expect(spotlighted).To(HaveLen(1))
		g.Expect(spotlighted[0].Note).To(Equal("Spotlight published ana-followup, sam-renewal"))
	}).WithTimeout(timeout).Should(Succeed())

	// A spec edit keeps what was published: only the new nomination is pending.
	update(t, campaign, func(o *v1alpha1.RecognitionCampaign) {
		o.Spec.Nominations = append(o.Spec.Nominations, v1alpha1.Nomination{Name: "lee-callback", Nominee: "Lee Chen", NominatedBy: "Ravi Patel",
			Behavior: "close-the-loop", Story: "Called back every customer who churned this year.", At: "2026-11-13"})
	})
	g.Eventually(func(g Gomega) {
		got := getCampaign(g, ns)
		st := got.Status
		g.Expect(st.ObservedGeneration).To(Equal(got.Generation))
		g.Expect(st.SpotlightedNominations).To(Equal([]string{"ana-followup", "sam-renewal"}))
		g.Expect(st.Nominations).To(HaveValue(Equal(int32(3))))
		g.Expect(st.Pending).To(HaveValue(Equal(int32(1))))
		g.Expect(st.LeadershipShare).To(Equal(ptr.To[int32](67)), "sponsor and council member, of three")
		cj := getSpotlight(g, ns)
		g.Expect(cj.Spec.JobTemplate.Annotations).To(HaveKeyWithValue(cronjobs.AnnotationNominations, "lee-callback"))
		g.Expect(digestOf(cj)).To(Equal("Customer heroes this week\n" +
			"• Lee Chen — close-the-loop: Called back every customer who churned this year. — nominated by Ravi Patel"))
	}).WithTimeout(timeout).Should(Succeed())
	g.Expect(eventsFor(g, ns, campaignName, v1alpha1.EventReasonNominationRejected)).To(HaveLen(1), "no new rejection, no new Event")
}

func TestRecognitionCampaignReferencesHeal(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	startManager(t, ns, clocktesting.NewFakeClock(t0))
	create(t, newCampaign(ns))

	ready := func(g Gomega) (*v1alpha1.RecognitionCampaign, *metav1.Condition) {
		got := getCampaign(g, ns)
		c := condition(got.Status.Conditions, v1alpha1.ConditionReady)
		g.Expect(c).NotTo(BeNil())
		return got, c
	}
	g.Eventually(func(g Gomega) {
		got, c := ready(g)
		g.Expect(c.Status).To(Equal(metav1.ConditionFalse))
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonInitiativeNotFound))
		g.Expect(c.Message).To(ContainSubstring("Initiative customer-first named in spec.initiativeRef not found in namespace " + ns + ": create it"))
		g.Expect(kstatusOf(g, got)).To(Equal("InProgress"))
	}).WithTimeout(timeout).Should(Succeed())
	g.Eventually(func(g Gomega) {
		g.Expect(eventsFor(g, ns, campaignName, v1alpha1.ReasonInitiativeNotFound)).To(HaveLen(1))
	}).WithTimeout(timeout).Should(Succeed())

	it := newInitiative(ns, "customer-first")
	create(t, it)
	g.Eventually(func(g Gomega) {
		got, c := ready(g)
		g.Expect(c.Status).To(Equal(metav1.ConditionFalse))
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonChannelNotFound))
		g.Expect(c.Message).To(ContainSubstring("Channel all-hands named in spec.channel not found in namespace " + ns + ": create it"))
		g.Expect(got.Status.Nominations).To(HaveValue(Equal(int32(2))), "nominations are judged without the channel")
	}).WithTimeout(timeout).Should(Succeed())
	g.Expect(apierrors.IsNotFound(k8s.Get(context.Background(), key(ns, spotlightCronJob), &batchv1.CronJob{}))).To(BeTrue(), "no CronJob without a channel")

	create(t, allHands(ns)...)
	g.Eventually(func(g Gomega) {
		got, c := ready(g)
		g.Expect(c.Status).To(Equal(metav1.ConditionTrue))
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonScheduled))
		g.Expect(kstatusOf(g, got)).To(Equal("Current"))
		g.Expect(getSpotlight(g, ns).Spec.Suspend).To(Equal(ptr.To(false)))
	}).WithTimeout(timeout).Should(Succeed())

	// The spotlight pauses with its initiative.
	update(t, it, func(o *v1alpha1.Initiative) { o.Spec.Suspend = ptr.To(true) })
	g.Eventually(func(g Gomega) {
		got, c := ready(g)
		g.Expect(c.Status).To(Equal(metav1.ConditionTrue))
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonSuspended))
		g.Expect(c.Message).To(ContainSubstring("set its spec.suspend to false"))
		g.Expect(got.Status.NextPublicationTime).To(BeNil())
		g.Expect(getSpotlight(g, ns).Spec.Suspend).To(Equal(ptr.To(true)))
	}).WithTimeout(timeout).Should(Succeed())
}

// The controller asks to run again exactly when the next spotlight is due,
// and not before: it never polls.
func TestRecognitionCampaignRequeuesAtTheNextSpotlight(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	create(t, allHands(ns)...)
	markChannelReady(t, ns, "all-hands") // no Channel controller runs here
	create(t, newInitiative(ns, "customer-first"), newCampaign(ns))
	r := &recognitioncampaign.Reconciler{Client: k8s, Clock: clk, Recorder: events.NewFakeRecorder(100), Jobs: testJobs}
	req := requestFor(newCampaign(ns))

	res, err := r.Reconcile(context.Background(), req)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.RequeueAfter).To(Equal(5*24*time.Hour+6*time.Hour), "Sunday 09:00 UTC to Friday 16:00 Berlin")
	first := getCampaign(g, ns)

	// A reconcile before then changes nothing and writes nothing.
	clk.Step(24 * time.Hour)
	res, err = r.Reconcile(context.Background(), req)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.RequeueAfter).To(Equal(4*24*time.Hour + 6*time.Hour))
	g.Expect(getCampaign(g, ns).ResourceVersion).To(Equal(first.ResourceVersion))
	g.Expect(r.Recorder.(*events.FakeRecorder).Events).To(HaveLen(1), "only the first reconcile's NominationRejected")

	clk.Step(4*24*time.Hour + 6*time.Hour)
	res, err = r.Reconcile(context.Background(), req)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.RequeueAfter).To(Equal(7 * 24 * time.Hour))
	g.Expect(getCampaign(g, ns).Status.NextPublicationTime.Time).To(BeTemporally("==", time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)))
}
