package successindex

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

var actions = []v1alpha1.CommitmentAction{
	{Name: "call-detractors", Horizon: v1alpha1.Horizon3Months, Due: "2026-09-30"},
	{Name: "coach-team", Horizon: v1alpha1.Horizon6Months},
	{Name: "customer-council", Horizon: v1alpha1.HorizonBeyond},
}

func outcome(action string, o v1alpha1.Outcome, rating int32) v1alpha1.ActionOutcome {
	out := v1alpha1.ActionOutcome{Action: action, Outcome: o}
	if rating > 0 {
		out.Rating = ptr.To(rating)
	}
	return out
}

func TestReviewIndex(t *testing.T) {
	tests := map[string]struct {
		date     v1alpha1.Date
		outcomes []v1alpha1.ActionOutcome
		want     int32 // expected index
		ok       bool  // whether the review has an index
	}{
		"all done": {"2026-09-15", []v1alpha1.ActionOutcome{
			outcome("call-detractors", v1alpha1.OutcomeDone, 0), outcome("coach-team", v1alpha1.OutcomeDone, 0), outcome("customer-council", v1alpha1.OutcomeDone, 0)}, 100, true},
		"nothing started": {"2026-09-15", []v1alpha1.ActionOutcome{
			outcome("call-detractors", v1alpha1.OutcomeNotStarted, 0), outcome("coach-team", v1alpha1.OutcomeNotStarted, 0)}, 0, true},
		// (3·100 + 2·75 + 1·25) / 6 = 79.17
		"weighted by horizon": {"2026-09-15", []v1alpha1.ActionOutcome{
			outcome("call-detractors", v1alpha1.OutcomeDone, 0), outcome("coach-team", v1alpha1.OutcomeOnTrack, 0), outcome("customer-council", v1alpha1.OutcomeBehind, 0)}, 79, true},
		// (3·75·1.2 + 2·25·0.8) / 5 = 62
		"adjusted by ratings": {"2026-09-15", []v1alpha1.ActionOutcome{
			outcome("call-detractors", v1alpha1.OutcomeOnTrack, 5), outcome("coach-team", v1alpha1.OutcomeBehind, 1)}, 62, true},
		"capped at 100": {"2026-09-15", []v1alpha1.ActionOutcome{outcome("call-detractors", v1alpha1.OutcomeDone, 5)}, 100, true},
		// call-detractors was due on 2026-09-30: on track is not done.
		"a due action not done scores nothing": {"2026-10-05", []v1alpha1.ActionOutcome{
			outcome("call-detractors", v1alpha1.OutcomeOnTrack, 0), outcome("coach-team", v1alpha1.OutcomeDone, 0)}, 40, true},
		"due on the review day still counts as on track": {"2026-09-30", []v1alpha1.ActionOutcome{
			outcome("call-detractors", v1alpha1.OutcomeOnTrack, 0)}, 75, true},
		"dropped actions leave the index": {"2026-09-15", []v1alpha1.ActionOutcome{
			outcome("call-detractors", v1alpha1.OutcomeDropped, 0), outcome("coach-team", v1alpha1.OutcomeDone, 0)}, 100, true},
		"only dropped actions: no index": {"2026-09-15", []v1alpha1.ActionOutcome{
			outcome("call-detractors", v1alpha1.OutcomeDropped, 0)}, 0, false},
		"unknown actions are ignored": {"2026-09-15", []v1alpha1.ActionOutcome{outcome("nope", v1alpha1.OutcomeDone, 0)}, 0, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			got, ok := ReviewIndex(actions, v1alpha1.CommitmentReview{Quarter: "2026-Q3", Date: tc.date, Outcomes: tc.outcomes})
			g.Expect(ok).To(Equal(tc.ok))
			g.Expect(got).To(Equal(tc.want))
		})
	}
}

func TestEndOfNextQuarter(t *testing.T) {
	tests := map[v1alpha1.Quarter]time.Time{
		"2026-Q1": time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC),
		"2026-Q3": time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		"2026-Q4": time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC),
	}
	for q, want := range tests {
		t.Run(string(q), func(t *testing.T) {
			g := NewWithT(t)
			got, err := EndOfNextQuarter(q)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(got).To(Equal(want))
		})
	}
	_, err := EndOfNextQuarter("2026-Q5")
	NewWithT(t).Expect(err).To(HaveOccurred())
}

func review(q v1alpha1.Quarter, date v1alpha1.Date, o v1alpha1.Outcome) v1alpha1.CommitmentReview {
	return v1alpha1.CommitmentReview{Quarter: q, Date: date, Confidence: v1alpha1.ConfidenceMedium, Narrative: "ok",
		Outcomes: []v1alpha1.ActionOutcome{outcome("coach-team", o, 0)}}
}

func TestEvaluate(t *testing.T) {
	created := time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		reviews     []v1alpha1.CommitmentReview
		now         time.Time
		wantIndex   *int32              // latest index
		wantTrend   v1alpha1.Trend      // trend over quarters
		wantDue     time.Time           // next review due
		wantOverdue bool                // review overdue
		wantActions []string            // overdue actions
		wantRecheck time.Time           // next time-based change
		wantQuarter string              // latest quarter
		wantConf    v1alpha1.Confidence // latest confidence
	}{
		"not reviewed yet, within the grace quarter": {
			now: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), wantTrend: v1alpha1.TrendUnknown,
			wantDue: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), wantRecheck: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
		},
		"not reviewed for a quarter: overdue": {
			now: time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC), wantTrend: v1alpha1.TrendUnknown,
			wantDue: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), wantOverdue: true, wantActions: []string{"call-detractors"},
		},
		"reviewed across quarters, improving": {
			reviews: []v1alpha1.CommitmentReview{review("2026-Q4", "2026-12-10", v1alpha1.OutcomeDone), review("2026-Q3", "2026-09-20", v1alpha1.OutcomeBehind)},
			now:     time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC), wantIndex: ptr.To[int32](100), wantTrend: v1alpha1.TrendImproving,
			wantDue: time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC), wantActions: []string{"call-detractors"},
			wantRecheck: time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC), wantQuarter: "2026-Q4", wantConf: v1alpha1.ConfidenceMedium,
		},
		"a due date ahead is rechecked the day after": {
			reviews: []v1alpha1.CommitmentReview{review("2026-Q3", "2026-09-01", v1alpha1.OutcomeOnTrack)},
			now:     time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), wantIndex: ptr.To[int32](75), wantTrend: v1alpha1.TrendUnknown,
			wantDue: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), wantRecheck: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
			wantQuarter: "2026-Q3", wantConf: v1alpha1.ConfidenceMedium,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			r := Evaluate(v1alpha1.CommitmentSpec{Actions: actions, Reviews: tc.reviews}, created, tc.now)
			g.Expect(r.Index).To(Equal(tc.wantIndex))
			g.Expect(r.Trend).To(Equal(tc.wantTrend))
			g.Expect(r.NextReviewDue).To(Equal(tc.wantDue))
			g.Expect(r.ReviewOverdue).To(Equal(tc.wantOverdue))
			g.Expect(r.Overdue).To(Equal(tc.wantActions))
			g.Expect(r.RecheckAt).To(Equal(tc.wantRecheck))
			g.Expect(r.Quarter).To(Equal(tc.wantQuarter))
			g.Expect(r.Confidence).To(Equal(tc.wantConf))
		})
	}
}

func owned(name string, kind v1alpha1.OwnerKind, team string, reviews ...v1alpha1.CommitmentReview) Commitment {
	return Commitment{Created: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), Spec: v1alpha1.CommitmentSpec{
		Owner: v1alpha1.CommitmentOwner{Name: name, Kind: kind}, Team: team, Actions: actions, Reviews: reviews}}
}

func TestRollup(t *testing.T) {
	spec := v1alpha1.InitiativeSpec{
		Sponsors: []v1alpha1.Person{{Name: "Dana"}},
		Council:  []v1alpha1.Person{{Name: "Ravi"}, {Name: "Mia"}},
		Teams:    []string{"support"},
	}
	q3 := review("2026-Q3", "2026-09-20", v1alpha1.OutcomeBehind)  // 25
	q4 := review("2026-Q4", "2026-12-10", v1alpha1.OutcomeOnTrack) // 75
	now := time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC)
	five := []Commitment{
		owned("Dana", "", "", q3, q4), owned("Ravi", "", "support", q3, q4), owned("Ann", "", "", q3, q4),
		owned("Bo", "", "", q3, q4), owned("Cy", "", "", q3),
	}
	tests := map[string]struct {
		floor         *int32                    // spec.confidentialityFloor
		commitments   []Commitment              // the initiative's commitments
		want          v1alpha1.CommitmentRollup // the roll-up, Hidden checked separately
		wantHidden    bool                      // whether score aggregates are hidden
		participation int32                     // expected participation
	}{
		"below the default floor": {
			commitments: five[:4], participation: 75, wantHidden: true,
			want: v1alpha1.CommitmentRollup{Count: 4, ReviewsOnTime: ptr.To[int32](100)},
		},
		"at the floor: mean and trend shown": {
			// latest: 75,75,75,75,25 → 65; per quarter: Q3 25 (5), Q4 75 (4, below the floor)
			commitments: five, participation: 75,
			want: v1alpha1.CommitmentRollup{Count: 5, MeanIndex: ptr.To[int32](65), Trend: v1alpha1.TrendUnknown,
				ReviewsOnTime: ptr.To[int32](80), OverdueReviews: 1},
		},
		"a lower floor shows the quarterly trend": {
			floor: ptr.To[int32](4), commitments: five, participation: 75,
			want: v1alpha1.CommitmentRollup{Count: 5, MeanIndex: ptr.To[int32](65), Trend: v1alpha1.TrendImproving,
				ReviewsOnTime: ptr.To[int32](80), OverdueReviews: 1},
		},
		"a team-owned commitment counts for the team": {
			commitments: []Commitment{owned("support", v1alpha1.OwnerTeam, "")}, participation: 25, wantHidden: true,
			want: v1alpha1.CommitmentRollup{Count: 1, ReviewsOnTime: ptr.To[int32](0), OverdueReviews: 1},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			s := spec
			s.ConfidentialityFloor = tc.floor
			got, _ := Rollup(s, tc.commitments, now)
			if tc.wantHidden {
				g.Expect(got.Hidden).NotTo(BeEmpty())
			} else {
				g.Expect(got.Hidden).To(BeEmpty())
			}
			g.Expect(*got.Participation).To(Equal(tc.participation))
			got.Hidden, got.Participation = "", nil
			g.Expect(got).To(Equal(tc.want))
		})
	}
}
