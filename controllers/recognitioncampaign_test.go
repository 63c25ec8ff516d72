package controllers_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers/recognitioncampaign"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/ledger"
	"github.com/momentum-dev/momentum/internal/names"
	"github.com/momentum-dev/momentum/internal/testenv"
)

// digestJobs lists the campaign's digest Jobs, by name.
func digestJobs(g Gomega, ns string) []batchv1.Job {
	list := &batchv1.JobList{}
	g.Expect(k8s.List(context.Background(), list, client.InNamespace(ns), client.MatchingLabels{cronjobs.LabelCampaign: campaignName})).To(Succeed())
	return list.Items
}

// digestJobName is the name of attempt n of the spotlight due at tick.
func digestJobName(tick time.Time, n int) string {
	key := tick.UTC().Format("20060102t1504z")
	if n > 1 {
		key += "#" + strconv.Itoa(n)
	}
	return names.Job(names.Child{OwnerKind: "RecognitionCampaign", OwnerName: campaignName, Role: names.RoleSpotlight, Key: key})
}

// getDigestJob reads attempt n of the spotlight due at tick.
func getDigestJob(g Gomega, ns string, tick time.Time, n int) *batchv1.Job {
	job := &batchv1.Job{}
	g.Expect(k8s.Get(context.Background(), key(ns, digestJobName(tick, n)), job)).To(Succeed())
	return job
}

func envOf(job *batchv1.Job, name string) string {
	for _, e := range job.Spec.Template.Spec.Containers[0].Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

// nudgeCampaign makes the campaign reconcile now, after the fake clock moved.
func nudgeCampaign(t *testing.T, ns string) {
	t.Helper()
	update(t, getCampaign(NewWithT(t), ns), func(o *v1alpha1.RecognitionCampaign) {
		o.Annotations = map[string]string{"nudge": time.Now().String()}
	})
}

// awaitScheduled waits until the campaign is Ready to post at the next
// spotlight, so that moving the clock past it makes one due.
func awaitScheduled(t *testing.T, ns string) {
	t.Helper()
	NewWithT(t).Eventually(func(g Gomega) {
		g.Expect(condition(getCampaign(g, ns).Status.Conditions, v1alpha1.ConditionReady)).To(HaveField("Reason", v1alpha1.ReasonScheduled))
	}).WithTimeout(timeout).Should(Succeed())
}

// campaignLedger reads the keys of the campaign's ledger.
func campaignLedger(g Gomega, ns string) []string {
	cm := &corev1.ConfigMap{}
	g.Expect(k8s.Get(context.Background(), key(ns, ledger.Name("RecognitionCampaign", campaignName)), cm)).To(Succeed())
	g.Expect(cm.OwnerReferences).To(BeEmpty(), "the namespace keeps the ledger, not the campaign")
	keys, err := ledger.Keys(cm)
	g.Expect(err).NotTo(HaveOccurred())
	return keys
}

func TestRecognitionCampaignSpotlightsEachNominationOnce(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(t0)
	startManager(t, ns, clk)
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
		g.Expect(condition(st.Conditions, v1alpha1.ConditionDeliveryFailing)).To(HaveField("Status", metav1.ConditionFalse))
	}).WithTimeout(timeout).Should(Succeed())
	g.Eventually(func(g Gomega) {
		rejected := eventsFor(g, ns, campaignName, v1alpha1.EventReasonNominationRejected)
		g.Expect(rejected).To(HaveLen(1))
		g.Expect(rejected[0].Type).To(Equal(corev1.EventTypeWarning))
		g.Expect(rejected[0].Note).To(ContainSubstring("Nomination kim-upsell does not qualify"))
	}).WithTimeout(timeout).Should(Succeed())
	g.Expect(digestJobs(g, ns)).To(BeEmpty(), "nothing is posted before the spotlight is due")

	// When it is due, the manager creates one digest Job named after the time.
	clk.SetTime(nextFriday.Add(time.Second))
	nudgeCampaign(t, ns)
	var job *batchv1.Job
	g.Eventually(func(g Gomega) {
		job = getDigestJob(g, ns, nextFriday, 1)
		g.Expect(getCampaign(g, ns).Status.LastScheduleTime).To(HaveField("Time", BeTemporally("==", nextFriday)))
	}).WithTimeout(timeout).Should(Succeed())
	owner := metav1.GetControllerOf(job)
	g.Expect(owner).NotTo(BeNil())
	g.Expect(owner.Kind).To(Equal("RecognitionCampaign"))
	g.Expect(owner.UID).To(Equal(getCampaign(g, ns).UID))
	g.Expect(job.Annotations).To(HaveKeyWithValue(cronjobs.AnnotationNominations, "ana-followup,sam-renewal"))
	g.Expect(job.Labels).To(HaveKeyWithValue(cronjobs.LabelInitiative, "customer-first"))
	g.Expect(envOf(job, "MOMENTUM_IDEMPOTENCY_KEY")).To(Equal("spotlight/" + ns + "/" + campaignName + "/20261120t1500z"))
	digest := envOf(job, "MOMENTUM_MESSAGE")
	g.Expect(digest).To(Equal("Customer heroes this week\n" +
		"• Ana Gomez — close-the-loop: Followed up on every detractor of the October survey. — nominated by Dana Lee\n" +
		"• Sam Ortiz — close-the-loop: Turned a cancellation into a renewal by calling the customer the same day. (Renewed a 40k account) — nominated by Priya Nair"))
	g.Expect(digest).NotTo(ContainSubstring("Kim Roe"), "a rejected nomination is never published")

	// Another reconcile at the same time creates nothing more.
	nudgeCampaign(t, ns)
	g.Consistently(func(g Gomega) { g.Expect(digestJobs(g, ns)).To(HaveLen(1)) }).WithTimeout(2 * time.Second).Should(Succeed())

	// It succeeds: what it published is recorded, and never published again.
	published := nextFriday.Add(time.Minute)
	g.Expect(testenv.FinishJob(context.Background(), k8s, job, 0, published)).To(Succeed())
	g.Eventually(func(g Gomega) {
		st := getCampaign(g, ns).Status
		g.Expect(st.SpotlightedNominations).To(Equal([]string{"ana-followup", "sam-renewal"}))
		g.Expect(st.Pending).To(HaveValue(BeZero()))
		g.Expect(st.Spotlighted).To(HaveValue(Equal(int32(2))))
		g.Expect(st.LastPublicationTime).To(HaveField("Time", BeTemporally("==", published)))
		g.Expect(condition(st.Conditions, v1alpha1.ConditionReady).Message).To(ContainSubstring(": 0 nominations pending"))
		g.Expect(campaignLedger(g, ns)).To(Equal([]string{"digest/20261120t1500z", "nomination/ana-followup", "nomination/sam-renewal"}))
	}).WithTimeout(timeout).Should(Succeed())
	g.Eventually(func(g Gomega) {
		spotlighted := eventsFor(g, ns, campaignName, v1alpha1.EventReasonSpotlighted)
		g.Expect(spotlighted).To(HaveLen(1))
		g.Expect(spotlighted[0].Note).To(Equal("Spotlight published ana-followup, sam-renewal"))
	}).WithTimeout(timeout).Should(Succeed())

	// The next Friday finds nothing new: it posts nothing.
	clk.SetTime(nextFriday.Add(7 * 24 * time.Hour))
	nudgeCampaign(t, ns)
	g.Eventually(func(g Gomega) {
		g.Expect(getCampaign(g, ns).Status.LastScheduleTime).To(HaveField("Time", BeTemporally("==", nextFriday.Add(7*24*time.Hour))))
	}).WithTimeout(timeout).Should(Succeed())
	g.Expect(digestJobs(g, ns)).To(HaveLen(1))

	// A spec edit keeps what was published: only the new nomination is posted.
	update(t, getCampaign(g, ns), func(o *v1alpha1.RecognitionCampaign) {
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
	}).WithTimeout(timeout).Should(Succeed())
	third := nextFriday.Add(14 * 24 * time.Hour)
	clk.SetTime(third)
	nudgeCampaign(t, ns)
	g.Eventually(func(g Gomega) {
		job := getDigestJob(g, ns, third, 1)
		g.Expect(job.Annotations).To(HaveKeyWithValue(cronjobs.AnnotationNominations, "lee-callback"))
		g.Expect(envOf(job, "MOMENTUM_MESSAGE")).To(Equal("Customer heroes this week\n" +
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
	g.Expect(digestJobs(g, ns)).To(BeEmpty(), "nothing posted without a channel")

	create(t, allHands(ns)...)
	g.Eventually(func(g Gomega) {
		got, c := ready(g)
		g.Expect(c.Status).To(Equal(metav1.ConditionTrue))
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonScheduled))
		g.Expect(kstatusOf(g, got)).To(Equal("Current"))
		g.Expect(got.Status.NextPublicationTime).NotTo(BeNil())
	}).WithTimeout(timeout).Should(Succeed())

	// The spotlight pauses with its initiative.
	update(t, it, func(o *v1alpha1.Initiative) { o.Spec.Suspend = ptr.To(true) })
	g.Eventually(func(g Gomega) {
		got, c := ready(g)
		g.Expect(c.Status).To(Equal(metav1.ConditionTrue))
		g.Expect(c.Reason).To(Equal(v1alpha1.ReasonSuspended))
		g.Expect(c.Message).To(ContainSubstring("set its spec.suspend to false"))
		g.Expect(got.Status.NextPublicationTime).To(BeNil())
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
