package controllers_test

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

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
