package view

import (
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

var now = time.Date(2026, 11, 15, 9, 0, 0, 0, time.UTC)

func at(d time.Duration) *metav1.Time { return &metav1.Time{Time: now.Add(d)} }

func TestSpark(t *testing.T) {
	cases := map[string]struct {
		values []float64
		fancy  bool
		want   string
	}{
		"empty":           {values: nil, want: "-"},
		"one value":       {values: []float64{5}, want: "="},
		"rising ascii":    {values: []float64{1, 2, 3, 4, 5, 6, 7, 8}, want: "_.-~=+*#"},
		"rising fancy":    {values: []float64{1, 8}, fancy: true, want: "▁█"},
		"flat":            {values: []float64{3, 3, 3}, want: "==="},
		"falling decimal": {values: []float64{4.3, 4.1}, want: "#_"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(Style{Fancy: tc.fancy}.spark(tc.values)).To(Equal(tc.want))
		})
	}
}

func TestBar(t *testing.T) {
	cases := map[string]struct {
		pct   int32
		fancy bool
		want  string
	}{
		"zero":       {pct: 0, want: "[----------]"},
		"36 percent": {pct: 36, want: "[####------]"},
		"full":       {pct: 100, want: "[##########]"},
		"over 100":   {pct: 150, want: "[##########]"},
		"fancy":      {pct: 50, fancy: true, want: "\x1b[32m█████\x1b[0m\x1b[90m░░░░░\x1b[0m"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(Style{Fancy: tc.fancy}.bar(tc.pct, 10)).To(Equal(tc.want))
		})
	}
}

func TestTableMeasuresVisibleWidth(t *testing.T) {
	g := NewWithT(t)
	s := Style{Fancy: true}
	out := table("", [][]string{{s.paint(red, "✘"), "a"}, {"xy", "b"}})
	g.Expect(out).To(Equal("\x1b[31m✘\x1b[0m   a\nxy  b\n"))
	g.Expect(visible("\x1b[31m✘\x1b[0m")).To(Equal(1))
}

func TestNoEscapesWithoutColour(t *testing.T) {
	g := NewWithT(t)
	out := Status(fixture(), now, Style{})
	g.Expect(out).NotTo(ContainSubstring("\x1b["))
	for _, r := range out {
		g.Expect(r < 128 || strings.ContainsRune(fixture().Initiative.Spec.Why, r)).To(BeTrue(), "non-ASCII %q", r)
	}
	g.Expect(Status(fixture(), now, Style{Fancy: true})).To(ContainSubstring("\x1b["))
}

func fixture() Program {
	it := v1alpha1.Initiative{
		ObjectMeta: metav1.ObjectMeta{Name: "customer-first", Namespace: "culture"},
		Spec: v1alpha1.InitiativeSpec{Why: "Customers first.", Stages: []v1alpha1.Stage{
			{Name: "Initiation"}, {Name: "Implementation", TargetDuration: &metav1.Duration{Duration: 24 * time.Hour}}, {Name: "Embedding"},
		}},
		Status: v1alpha1.InitiativeStatus{
			Stage: "Implementation", Progress: ptr.To[int32](40),
			Conditions: []metav1.Condition{
				{Type: v1alpha1.ConditionReady, Status: metav1.ConditionTrue, Reason: v1alpha1.ReasonStageInProgress, Message: "In stage Implementation"},
				{Type: v1alpha1.ConditionMomentumAtRisk, Status: metav1.ConditionTrue, Reason: v1alpha1.ReasonIndicatorOffTarget, Message: "1 indicator off target: belief; stage Implementation is past its targetDuration 24h0m0s since x"},
			},
			History: []v1alpha1.StageRecord{
				{Name: "Initiation", EnteredAt: *at(-72 * time.Hour), ExitedAt: at(-48 * time.Hour), Reason: "approved by Dana Lee"},
				{Name: "Implementation", EnteredAt: *at(-48 * time.Hour)},
			},
			Stages: []v1alpha1.StagePlan{{Name: "Embedding", State: v1alpha1.StageUpcoming, Met: 1, Total: 2}},
			Gates:  []v1alpha1.GateStatus{{Kind: v1alpha1.GateAction, Name: "train-leaders", Message: "action train-leaders is not done yet"}, {Kind: v1alpha1.GateAction, Name: "kickoff", Met: true, Message: "action kickoff is done"}},
			Funnel: &v1alpha1.Funnel{WeakestLink: "belief is the weakest link: 48 < target 70", Levels: []v1alpha1.FunnelLevel{
				{Level: v1alpha1.FunnelAwareness, Health: v1alpha1.HealthOnTarget},
				{Level: v1alpha1.FunnelBelief, Health: v1alpha1.HealthOffTarget, Indicator: "belief", Value: ptr.To(v1alpha1.Decimal("48")), Target: ptr.To(v1alpha1.Decimal("70"))},
			}},
			Reminders: []v1alpha1.ReminderStatus{{Name: "weekly", CronJobName: "customer-first-weekly", LastSuccessfulTime: at(-time.Hour), LastFailureTime: at(-time.Minute)}},
		},
	}
	li := v1alpha1.LeadingIndicator{
		ObjectMeta: metav1.ObjectMeta{Name: "belief", Namespace: "culture"},
		Spec:       v1alpha1.LeadingIndicatorSpec{InitiativeRef: v1alpha1.LocalObjectReference{Name: "customer-first"}, Category: v1alpha1.CategoryEmployeeBelief, Unit: "percent", Target: v1alpha1.Target{Value: "70"}},
		Status: v1alpha1.LeadingIndicatorStatus{Value: ptr.To(v1alpha1.Decimal("48")), Health: v1alpha1.HealthOffTarget, Trend: v1alpha1.TrendDeclining, MeasuredAt: at(-time.Hour),
			History: []v1alpha1.Measurement{{Value: "50"}, {Value: "48"}}},
	}
	other := li
	other.Spec.InitiativeRef.Name = "another"
	camp := v1alpha1.RecognitionCampaign{ObjectMeta: metav1.ObjectMeta{Name: "heroes", Namespace: "culture"}, Spec: v1alpha1.RecognitionCampaignSpec{InitiativeRef: v1alpha1.LocalObjectReference{Name: "customer-first"}},
		Status: v1alpha1.RecognitionCampaignStatus{Nominations: ptr.To[int32](3), Pending: ptr.To[int32](1), Spotlighted: ptr.To[int32](2), LeadershipShare: ptr.To[int32](33),
			Rejected: []v1alpha1.RejectedNomination{{Name: "x", Reason: "behavior smile is not one of the campaign's behaviors"}}}}
	return NewProgram(it, []v1alpha1.LeadingIndicator{other, li}, []v1alpha1.RecognitionCampaign{camp})
}

func TestNewProgramKeepsOnlyItsObjects(t *testing.T) {
	g := NewWithT(t)
	p := fixture()
	g.Expect(p.Indicators).To(HaveLen(1))
	g.Expect(p.Campaigns).To(HaveLen(1))
}

func TestStatusSections(t *testing.T) {
	out := Status(fixture(), now, Style{})
	cases := map[string]string{
		"overdue current stage": "current: 2d, overdue (target 24h)",
		"passed stage":          "[x]  Initiation      2026-11-12 09:00  2026-11-13 09:00  24h       approved by Dana Lee",
		"upcoming stage":        "1 of 2 criteria met on current data",
		"gates":                 "Gates of Implementation (1 of 2 met)",
		"unmet gate":            "[ ]  Action  train-leaders  action train-leaders is not done yet",
		"indicator":             "belief  EmployeeBelief  48%    >= 70   OffTarget  Declining  #_       60m ago",
		"weakest link marked":   "Belief     OffTarget  belief        48 / 70  <- weakest link",
		"risk reasons":          "! stage Implementation is past its targetDuration 24h0m0s since x",
		"failing reminder":      "failing since 2026-11-15 08:59",
		"recognition":           "heroes    3            1        2            1         33%",
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(out).To(ContainSubstring(want))
		})
	}
}

func TestWhyOrder(t *testing.T) {
	g := NewWithT(t)
	p := fixture()
	p.Initiative.Status.Conditions = append(p.Initiative.Status.Conditions, metav1.Condition{Type: v1alpha1.ConditionStalled, Status: metav1.ConditionTrue, Reason: "StageNotFound", Message: "stage gone"})
	g.Expect(Why(p)).To(Equal([]string{
		"It is stalled (StageNotFound): stage gone.",
		"Stage Implementation cannot be left yet: action train-leaders is not done yet.",
		"Momentum is at risk: 1 indicator off target: belief.",
		"Momentum is at risk: stage Implementation is past its targetDuration 24h0m0s since x.",
		"In the funnel (awareness, understanding, belief, action), belief is the weakest link: 48 < target 70.",
		"Reminder weekly is failing: its newest delivery failed at 2026-11-15 08:59 (see the Jobs of CronJob customer-first-weekly).",
		"Campaign heroes rejected nomination x: behavior smile is not one of the campaign's behaviors.",
	}))
}

func TestWhyNothing(t *testing.T) {
	cases := map[string]struct {
		stage string
		want  string
	}{
		"last stage":    {stage: "Embedding", want: "Nothing holds it back: it is in its last stage, Embedding, and momentum is on track."},
		"gates all met": {stage: "Initiation", want: "Nothing holds it back: every exit criterion of stage Initiation is met and momentum is on track."},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			it := fixture().Initiative
			it.Status = v1alpha1.InitiativeStatus{Stage: tc.stage, Conditions: []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: metav1.ConditionTrue}}}
			NewWithT(t).Expect(Why(Program{Initiative: it})).To(Equal([]string{tc.want}))
		})
	}
}

func TestList(t *testing.T) {
	g := NewWithT(t)
	it := fixture().Initiative
	out := List([]v1alpha1.Initiative{it}, true, Style{})
	g.Expect(out).To(Equal("NAMESPACE  NAME            STAGE           PROGRESS           READY  RISK                     WEAKEST LINK\n" +
		"culture    customer-first  Implementation  [####------]  40%  True   IndicatorOffTarget (+1)  belief is the weakest link: 48 < target 70\n"))
	g.Expect(List(nil, false, Style{})).To(Equal("No initiatives found.\n"))
}

func TestUpcomingNote(t *testing.T) {
	p := fixture()
	it := &p.Initiative // stages Initiation, Implementation, Embedding
	cases := map[string]struct {
		plan v1alpha1.StagePlan
		want string
	}{
		"with criteria":             {v1alpha1.StagePlan{Name: "Implementation", Met: 1, Total: 3}, "1 of 3 criteria met on current data"},
		"last stage":                {v1alpha1.StagePlan{Name: "Embedding"}, "the last stage: no exit"},
		"no criteria, not the last": {v1alpha1.StagePlan{Name: "Implementation"}, "no criteria: left only through an approval"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(upcomingNote(it, tc.plan)).To(Equal(tc.want))
		})
	}
}
