package controllers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers/initiative"
	"github.com/momentum-dev/momentum/controllers/leadingindicator"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/names"
	"github.com/momentum-dev/momentum/internal/outbound"
	"github.com/momentum-dev/momentum/internal/sources"
)

// Helpers shared by the envtest tests of every kind. The suite itself (the
// control plane, namespaces, starting a manager) is in suite_test.go.

// ---- Reading and writing objects in the suite's API server.

func key(ns, name string) types.NamespacedName {
	return types.NamespacedName{Namespace: ns, Name: name}
}

func create(t *testing.T, objs ...client.Object) {
	t.Helper()
	for _, o := range objs {
		if err := k8s.Create(context.Background(), o); err != nil {
			t.Fatalf("creating %T %s: %v", o, o.GetName(), err)
		}
	}
}

// update applies mutate to a fresh copy of obj and writes it, retrying on conflict.
func update[T client.Object](t *testing.T, obj T, mutate func(T)) {
	t.Helper()
	NewWithT(t).Eventually(func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(obj), obj); err != nil {
			return err
		}
		mutate(obj)
		return k8s.Update(context.Background(), obj)
	}).WithTimeout(10 * time.Second).Should(Succeed())
}

func getInitiative(g Gomega, ns, name string) *v1alpha1.Initiative {
	obj := &v1alpha1.Initiative{}
	g.Expect(k8s.Get(context.Background(), key(ns, name), obj)).To(Succeed())
	return obj
}

func getIndicator(g Gomega, ns, name string) *v1alpha1.LeadingIndicator {
	obj := &v1alpha1.LeadingIndicator{}
	g.Expect(k8s.Get(context.Background(), key(ns, name), obj)).To(Succeed())
	return obj
}

func getChannel(g Gomega, ns, name string) *v1alpha1.Channel {
	obj := &v1alpha1.Channel{}
	g.Expect(k8s.Get(context.Background(), key(ns, name), obj)).To(Succeed())
	return obj
}

func getCampaign(g Gomega, ns string) *v1alpha1.RecognitionCampaign {
	obj := &v1alpha1.RecognitionCampaign{}
	g.Expect(k8s.Get(context.Background(), key(ns, campaignName), obj)).To(Succeed())
	return obj
}

func getCronJob(g Gomega, ns, name string) *batchv1.CronJob {
	cj := &batchv1.CronJob{}
	g.Expect(k8s.Get(context.Background(), key(ns, name), cj)).To(Succeed())
	return cj
}

func getSpotlight(g Gomega, ns string) *batchv1.CronJob {
	cj := &batchv1.CronJob{}
	g.Expect(k8s.Get(context.Background(), key(ns, spotlightCronJob), cj)).To(Succeed())
	return cj
}

func condition(conds []metav1.Condition, t string) *metav1.Condition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}

func eventsFor(g Gomega, ns, name, reason string) []eventsv1.Event {
	list := &eventsv1.EventList{}
	g.Expect(k8s.List(context.Background(), list, client.InNamespace(ns))).To(Succeed())
	var out []eventsv1.Event
	for _, e := range list.Items {
		if e.Regarding.Name == name && (reason == "" || e.Reason == reason) {
			out = append(out, e)
		}
	}
	return out
}

// kstatusOf computes the status Flux and Argo CD would see.
func kstatusOf(g Gomega, obj runtime.Object) string {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	g.Expect(err).NotTo(HaveOccurred())
	res, err := status.Compute(&unstructured.Unstructured{Object: m})
	g.Expect(err).NotTo(HaveOccurred())
	return res.Status.String()
}

// metavNow is the fake clock's time as an API time, second precision.
func metavNow(clk *clocktesting.FakeClock) metav1.Time {
	return metav1.NewTime(clk.Now().UTC().Truncate(time.Second))
}

// ---- Objects of each kind, as a test starts them.

func newInitiative(ns, name string) *v1alpha1.Initiative {
	return &v1alpha1.Initiative{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.InitiativeSpec{
			Why:        "Every customer should feel we are on their side.",
			CoreValues: []string{"Ownership", "Empathy"},
			Sponsors:   []v1alpha1.Person{{Name: "Dana Lee", Title: "COO"}},
			Council:    []v1alpha1.Person{{Name: "Ravi Patel", Title: "VP Support"}},
			Behaviors:  []v1alpha1.Behavior{{Name: "close-the-loop", Description: "Reply to every detractor within 48 hours"}},
		},
	}
}

// gatedProgram has a first stage with one gate of each kind but minDuration
// (covered by TestMinDurationRequeuesAtTheExactMoment).
func gatedProgram(ns string) *v1alpha1.Initiative {
	it := newInitiative(ns, "customer-first")
	it.Spec.Stages = []v1alpha1.Stage{
		{Name: "Initiation", ExitCriteria: &v1alpha1.ExitCriteria{
			Actions:    []v1alpha1.Action{{Name: "publish-why", Owner: "Dana Lee"}},
			Indicators: []v1alpha1.IndicatorCriterion{{Name: "employee-awareness", Health: v1alpha1.RequireOnTarget}},
			Approval:   v1alpha1.ApprovalRequired,
		}},
		{Name: "Implementation"}, {Name: "Embedding"}, {Name: "Reinforcement"},
	}
	return it
}

func weeklyWhy() v1alpha1.Reminder {
	return v1alpha1.Reminder{
		Name: "weekly-why", Schedule: "0 9 * * MON", TimeZone: "Europe/Berlin", Channel: "all-hands",
		Stages:  []string{"Implementation", "Embedding"},
		Message: "Why we do this: {{ .Why }} — we are in {{ .Stage }}, {{ .Progress }}% of the way.",
	}
}

func newIndicator(ns, name, initiativeName string, target string, samples ...v1alpha1.Sample) *v1alpha1.LeadingIndicator {
	return &v1alpha1.LeadingIndicator{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.LeadingIndicatorSpec{
			InitiativeRef: v1alpha1.LocalObjectReference{Name: initiativeName},
			Category:      v1alpha1.CategoryAwareness,
			Unit:          "percent",
			Target:        v1alpha1.Target{Value: v1alpha1.Decimal(target), Direction: v1alpha1.AtLeast, AtRiskMargin: ptr.To(v1alpha1.Decimal("10"))},
			Samples:       samples,
		},
	}
}

func sample(daysBeforeT0 int, value string) v1alpha1.Sample {
	return v1alpha1.Sample{At: metav1.NewTime(t0.Add(-time.Duration(daysBeforeT0) * 24 * time.Hour)), Value: v1alpha1.Decimal(value)}
}

func liveIndicator(ns, name, url string) *v1alpha1.LeadingIndicator {
	ind := newIndicator(ns, name, "customer-first", "70")
	ind.Spec.Source = &v1alpha1.IndicatorSource{HTTP: &v1alpha1.HTTPSource{
		URL: url, JSONPath: "{.data.nps}", Interval: &metav1.Duration{Duration: time.Minute},
	}}
	return ind
}

const slackAddress = "https://hooks.slack.example/services/T0/B0/xyz"

func newChannel(ns, name, secret string) *v1alpha1.Channel {
	return &v1alpha1.Channel{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       v1alpha1.ChannelSpec{Type: v1alpha1.ChannelSlack, SecretRef: v1alpha1.LocalObjectReference{Name: secret}},
	}
}

func newSecret(ns, name, address string) *corev1.Secret {
	return &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: map[string]string{v1alpha1.LabelUsableFor: v1alpha1.PurposeChannel}},
		Data:       map[string][]byte{v1alpha1.SecretKeyAddress: []byte(address)},
	}
}

// markChannelReady writes a Ready status on a Channel, for tests that call a
// reconciler directly without the Channel controller.
func markChannelReady(t *testing.T, ns, name string) {
	t.Helper()
	ch := &v1alpha1.Channel{}
	if err := k8s.Get(context.Background(), key(ns, name), ch); err != nil {
		t.Fatal(err)
	}
	ch.Status.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: metav1.ConditionTrue, Reason: v1alpha1.ReasonChannelReady, Message: "test", LastTransitionTime: metav1.Now()}}
	ch.Status.ObservedGeneration = ch.Generation
	if err := k8s.Status().Update(context.Background(), ch); err != nil {
		t.Fatal(err)
	}
}

// allHands is the Slack Channel the campaign publishes to, with its Secret.
func allHands(ns string) []client.Object {
	return []client.Object{
		&corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "all-hands-webhook", Labels: map[string]string{v1alpha1.LabelUsableFor: v1alpha1.PurposeChannel}},
			Data:       map[string][]byte{v1alpha1.SecretKeyAddress: []byte("https://hooks.slack.example/services/T0/B0/xyz")},
		},
		&v1alpha1.Channel{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "all-hands"},
			Spec:       v1alpha1.ChannelSpec{Type: v1alpha1.ChannelSlack, SecretRef: v1alpha1.LocalObjectReference{Name: "all-hands-webhook"}},
		},
	}
}

const (
	campaignName = "customer-heroes"
	emptyDigest  = "No new nominations since the last spotlight — nominate someone who lived close-the-loop this week!"
)

// newCampaign nominates, in this spec order: a peer's nomination, a
// sponsor's (dated earlier, so spotlighted first), and a council member's
// for a behavior the campaign does not recognise.
func newCampaign(ns string) *v1alpha1.RecognitionCampaign {
	return &v1alpha1.RecognitionCampaign{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: campaignName},
		Spec: v1alpha1.RecognitionCampaignSpec{
			InitiativeRef: v1alpha1.LocalObjectReference{Name: "customer-first"},
			Schedule:      "0 16 * * FRI",
			TimeZone:      "Europe/Berlin",
			Channel:       "all-hands",
			Behaviors:     []string{"close-the-loop"},
			Nominations: []v1alpha1.Nomination{
				{Name: "sam-renewal", Nominee: "Sam Ortiz", NominatedBy: "Priya Nair", Behavior: "close-the-loop",
					Story: "Turned a cancellation into a renewal by calling the customer the same day.", CustomerImpact: "Renewed a 40k account", At: "2026-11-12"},
				{Name: "ana-followup", Nominee: "Ana Gomez", NominatedBy: "Dana Lee", Behavior: "close-the-loop",
					Story: "Followed up on every detractor of the October survey.", At: "2026-11-10"},
				{Name: "kim-upsell", Nominee: "Kim Roe", NominatedBy: "Ravi Patel", Behavior: "upsell-everything",
					Story: "Sold the premium plan to everyone.", At: "2026-11-11"},
			},
			Rewards: []v1alpha1.Reward{{Name: "customer-hero-of-the-quarter", Description: "Lunch with the COO"}},
		},
	}
}

func newCommitment(ns, name, initiativeName, owner string, reviews ...v1alpha1.CommitmentReview) *v1alpha1.Commitment {
	return &v1alpha1.Commitment{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.CommitmentSpec{
			InitiativeRef: v1alpha1.LocalObjectReference{Name: initiativeName},
			Owner:         v1alpha1.CommitmentOwner{Name: owner, Email: "owner@example.com"},
			Reviewer:      "Alex Kim",
			Actions: []v1alpha1.CommitmentAction{
				{Name: "call-detractors", Horizon: v1alpha1.Horizon3Months, Due: "2026-12-31", Behavior: "close-the-loop", Status: v1alpha1.ActionInProgress},
				{Name: "coach-team", Horizon: v1alpha1.Horizon6Months},
			},
			Reviews: reviews,
		},
	}
}

func reviewOf(q v1alpha1.Quarter, date v1alpha1.Date, outcomes ...v1alpha1.ActionOutcome) v1alpha1.CommitmentReview {
	return v1alpha1.CommitmentReview{Quarter: q, Date: date, Outcomes: outcomes, Confidence: v1alpha1.ConfidenceHigh, Narrative: "On course."}
}

func rated(action string, o v1alpha1.Outcome, rating int32) v1alpha1.ActionOutcome {
	out := v1alpha1.ActionOutcome{Action: action, Outcome: o}
	if rating > 0 {
		out.Rating = ptr.To(rating)
	}
	return out
}

func newAssessment(ns, name, initiativeName string) *v1alpha1.CultureAssessment {
	return &v1alpha1.CultureAssessment{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.CultureAssessmentSpec{
			InitiativeRef: v1alpha1.LocalObjectReference{Name: initiativeName},
			Scale:         &v1alpha1.ScoreScale{Min: "1", Max: "5"},
			Disciplines: []v1alpha1.Discipline{
				{Name: "customer-insight", Target: "3.5"}, {Name: "empowerment", Target: "3.5"},
			},
			Rounds: []v1alpha1.AssessmentRound{
				{Date: "2026-04-01", Respondents: 110, Scores: disciplineScores("customer-insight", "2.8", "empowerment", "3.4"),
					Themes: []string{"Nobody tells us what customers said"}},
				{Date: "2026-10-01", Respondents: 120, Scores: disciplineScores("customer-insight", "3.1", "empowerment", "3.6"),
					Segments: []v1alpha1.SegmentScores{
						{Name: "support", Respondents: 40, Scores: disciplineScores("customer-insight", "3.6", "empowerment", "3.9")},
						{Name: "sales", Respondents: 30, Scores: disciplineScores("customer-insight", "2.5", "empowerment", "3.2")},
						{Name: "legal", Respondents: 4, Scores: disciplineScores("customer-insight", "1.0", "empowerment", "1.0")},
					}},
			},
		},
	}
}

// ---- Reconcilers driven directly, without a manager, with an injected clock.

func newInitiativeReconciler(c client.Client, clk clock.PassiveClock) *initiative.Reconciler {
	return &initiative.Reconciler{Client: c, Clock: clk, Recorder: events.NewFakeRecorder(100)}
}

func newIndicatorReconciler(c client.Client, clk clock.PassiveClock) *leadingindicator.Reconciler {
	return &leadingindicator.Reconciler{Client: c, Clock: clk, Recorder: events.NewFakeRecorder(100)}
}

func liveReconciler(clk *clocktesting.FakeClock, policy outbound.Policy, writes *atomic.Int32) *leadingindicator.Reconciler {
	r := newIndicatorReconciler(countingClient(writes), clk)
	r.Secrets = k8s
	r.Measurer = sources.Measurer{Policy: policy}
	return r
}

// countingClient counts every write a reconciler sends to the API server.
func countingClient(writes *atomic.Int32) client.Client {
	c, err := client.NewWithWatch(restCfg, client.Options{Scheme: k8s.Scheme()})
	if err != nil {
		panic(err)
	}
	count := func() { writes.Add(1) }
	return interceptor.NewClient(c, interceptor.Funcs{
		Create: func(ctx context.Context, c client.WithWatch, o client.Object, opts ...client.CreateOption) error {
			count()
			return c.Create(ctx, o, opts...)
		},
		Update: func(ctx context.Context, c client.WithWatch, o client.Object, opts ...client.UpdateOption) error {
			count()
			return c.Update(ctx, o, opts...)
		},
		Patch: func(ctx context.Context, c client.WithWatch, o client.Object, p client.Patch, opts ...client.PatchOption) error {
			count()
			return c.Patch(ctx, o, p, opts...)
		},
		Apply: func(ctx context.Context, c client.WithWatch, o runtime.ApplyConfiguration, opts ...client.ApplyOption) error {
			count()
			return c.Apply(ctx, o, opts...)
		},
		Delete: func(ctx context.Context, c client.WithWatch, o client.Object, opts ...client.DeleteOption) error {
			count()
			return c.Delete(ctx, o, opts...)
		},
		SubResourceUpdate: func(ctx context.Context, c client.Client, sub string, o client.Object, opts ...client.SubResourceUpdateOption) error {
			count()
			return c.SubResource(sub).Update(ctx, o, opts...)
		},
		SubResourcePatch: func(ctx context.Context, c client.Client, sub string, o client.Object, p client.Patch, opts ...client.SubResourcePatchOption) error {
			count()
			return c.SubResource(sub).Patch(ctx, o, p, opts...)
		},
	})
}

// loopbackPolicy lets tests reach their own servers on 127.0.0.1.
var loopbackPolicy = outbound.Policy{AllowHTTPHosts: []string{"127.0.0.1"}, AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}

func requestFor(o client.Object) reconcile.Request {
	return reconcile.Request{NamespacedName: client.ObjectKeyFromObject(o)}
}

// nudge makes the initiative reconcile now, after the fake clock moved.
func nudge(t *testing.T, ns string) {
	t.Helper()
	update(t, getInitiative(NewWithT(t), ns, "customer-first"), func(o *v1alpha1.Initiative) {
		o.Annotations = map[string]string{"nudge": time.Now().String()}
	})
}

// ---- The children Momentum creates: CronJobs, Jobs and what they carry.

// reminderCronJob is the name of an initiative's reminder CronJob.
func reminderCronJob(initiativeName, reminder string) string {
	return names.CronJob(names.Child{OwnerKind: "Initiative", OwnerName: initiativeName, Role: names.RoleReminder, Key: reminder})
}

// weeklyWhyCronJob is the CronJob of customer-first's weeklyWhy reminder.
var weeklyWhyCronJob = reminderCronJob("customer-first", "weekly-why")

// spotlightCronJob is the name of the test campaign's spotlight CronJob.
var spotlightCronJob = names.CronJob(names.Child{OwnerKind: "RecognitionCampaign", OwnerName: campaignName, Role: names.RoleSpotlight})

// onlyCronJob returns the one CronJob of a namespace (tests make one).
func onlyCronJob(g Gomega, ns string) *batchv1.CronJob {
	list := &batchv1.CronJobList{}
	g.Expect(k8s.List(context.Background(), list, client.InNamespace(ns))).To(Succeed())
	g.Expect(list.Items).To(HaveLen(1))
	return &list.Items[0]
}

func celebrationJobs(g Gomega, ns string) map[string]string {
	jobs := &batchv1.JobList{}
	g.Expect(k8s.List(context.Background(), jobs, client.InNamespace(ns), client.MatchingLabels{cronjobs.LabelCelebration: "true"})).To(Succeed())
	wins := map[string]string{}
	for _, j := range jobs.Items {
		wins[j.Annotations[cronjobs.AnnotationWin]] = j.Name
	}
	return wins
}

func message(cj *batchv1.CronJob) string {
	for _, e := range cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0].Env {
		if e.Name == "MOMENTUM_MESSAGE" {
			return e.Value
		}
	}
	return ""
}

// finish records a Job's outcome the way the Job controller would.
func finish(t *testing.T, job *batchv1.Job, ok bool, at time.Time) {
	t.Helper()
	start, end := metav1.NewTime(at.Add(-time.Minute)), metav1.NewTime(at)
	job.Status.StartTime = &start
	if ok {
		job.Status.CompletionTime, job.Status.Succeeded = &end, 1
		job.Status.Conditions = []batchv1.JobCondition{
			{Type: batchv1.JobSuccessCriteriaMet, Status: corev1.ConditionTrue, LastTransitionTime: end},
			{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: end},
		}
	} else {
		job.Status.Failed = 1
		job.Status.Conditions = []batchv1.JobCondition{
			{Type: batchv1.JobFailureTarget, Status: corev1.ConditionTrue, LastTransitionTime: end},
			{Type: batchv1.JobFailed, Status: corev1.ConditionTrue, LastTransitionTime: end},
		}
	}
	job.Status.Ready = ptr.To[int32](0)
	job.Status.Terminating = ptr.To[int32](0)
	if err := k8s.Status().Update(context.Background(), job); err != nil {
		t.Fatalf("recording job outcome: %v", err)
	}
}

// ---- Bad input: objects with every field set, and paths into them.

// richObjects are valid objects of every kind with every optional part set,
// so that any field of them can be made bad (by name: the base of a case).
func richObjects(ns string) map[string]client.Object {
	it := newInitiative(ns, "rich")
	it.Spec.MomentumWindow = &metav1.Duration{Duration: 720 * time.Hour}
	it.Spec.Stages = []v1alpha1.Stage{
		{Name: "Initiation", TargetDuration: &metav1.Duration{Duration: 2160 * time.Hour}, ExitCriteria: &v1alpha1.ExitCriteria{
			MinDuration: &metav1.Duration{Duration: 720 * time.Hour},
			Actions:     []v1alpha1.Action{{Name: "publish-why", Owner: "Dana Lee", Done: true}},
			Indicators: []v1alpha1.IndicatorCriterion{{Name: "employee-awareness", Health: v1alpha1.RequireOnTarget,
				Trend: v1alpha1.RequireImproving, TrendSamples: ptr.To(int32(3)), Improvement: &v1alpha1.Improvement{Percent: ptr.To(v1alpha1.Decimal("10"))}}},
			Approval: v1alpha1.ApprovalRequired,
		}},
		{Name: "Implementation"}, {Name: "Embedding"}, {Name: "Reinforcement"},
	}
	it.Spec.Approvals = []v1alpha1.Approval{{Stage: "Initiation", ApprovedBy: "Dana Lee"}}
	it.Spec.Reminders = []v1alpha1.Reminder{weeklyWhy()}
	it.Spec.Celebrations = &v1alpha1.Celebrations{Channel: "all-hands"}

	li := newIndicator(ns, "rich", "rich", "75", sample(1, "60"))
	li.Spec.Freshness = &metav1.Duration{Duration: 2160 * time.Hour}
	li.Spec.HistoryLimit, li.Spec.FailureLimit = ptr.To(int32(24)), ptr.To(int32(3))
	live := li.DeepCopy()
	live.Name, live.Spec.Samples = "live", nil
	live.Spec.Source = &v1alpha1.IndicatorSource{HTTP: &v1alpha1.HTTPSource{
		URL: "https://feedback.example.com/api/nps", JSONPath: "{.data.nps}", Interval: &metav1.Duration{Duration: 5 * time.Minute}}}
	return map[string]client.Object{
		"initiative": it, "indicator": li, "live": live,
		"channel": newChannel(ns, "rich", "all-hands-webhook"), "campaign": newCampaign(ns),
		"commitment": newCommitment(ns, "rich", "rich", "Dana Lee",
			reviewOf("2026-Q3", "2026-09-30", rated("call-detractors", v1alpha1.OutcomeOnTrack, 4))),
		"assessment": newAssessment(ns, "rich", "rich"),
	}
}

// jsonMap is obj as the API server receives it: its JSON (numbers stay
// numbers), without status.
func jsonMap(g Gomega, obj client.Object) map[string]any {
	data, err := json.Marshal(obj)
	g.Expect(err).NotTo(HaveOccurred())
	u := map[string]any{}
	g.Expect(json.Unmarshal(data, &u)).To(Succeed())
	delete(u, "status")
	return u
}

// setPath sets a dotted path such as spec.stages[0].name in u; raw is the
// JSON of the value.
func setPath(u map[string]any, path, raw string) error {
	var value any
	if err := json.Unmarshal([]byte(raw), &value); err != nil {
		return fmt.Errorf("value %s: %w", raw, err)
	}
	parts := strings.Split(path, ".")
	var node any = u
	for i, p := range parts {
		name, idx := p, -1
		if j := strings.Index(p, "["); j >= 0 {
			name = p[:j]
			idx, _ = strconv.Atoi(strings.TrimSuffix(p[j+1:], "]"))
		}
		m, ok := node.(map[string]any)
		if !ok {
			return fmt.Errorf("%s is not an object", strings.Join(parts[:i], "."))
		}
		last := i == len(parts)-1
		switch {
		case last && idx < 0:
			m[name] = value
			return nil
		case idx < 0:
			if _, ok := m[name]; !ok {
				m[name] = map[string]any{}
			}
			node = m[name]
		default:
			list, _ := m[name].([]any)
			if idx >= len(list) {
				return fmt.Errorf("%s has no item %d", name, idx)
			}
			if last {
				list[idx] = value
				return nil
			}
			node = list[idx]
		}
	}
	return nil
}

func kindOf(o client.Object) string {
	switch o.(type) {
	case *v1alpha1.Initiative:
		return "Initiative"
	case *v1alpha1.LeadingIndicator:
		return "LeadingIndicator"
	case *v1alpha1.Channel:
		return "Channel"
	case *v1alpha1.Commitment:
		return "Commitment"
	case *v1alpha1.CultureAssessment:
		return "CultureAssessment"
	}
	return "RecognitionCampaign"
}
