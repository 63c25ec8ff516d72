// Package successindex computes the Success Index of a Commitment from its
// quarterly reviews, and rolls Commitments up to their initiative. Everything
// here is a pure function of its inputs.
//
// The index of a review (0-100) is
//
//	index = min(100, round( Σ w·s·r / Σ w ))
//
// over the actions the review assessed, leaving out those it Dropped, where
//
//   - w is the horizon weight: 3 for 3m, 2 for 6m, 1 for beyond (near-term
//     commitments weigh most: they should be done by now);
//   - s is the outcome score: Done 100, OnTrack 75, Behind 25, NotStarted 0;
//     an action past its due date on the review date scores 100 only when
//     Done and 0 otherwise (a due action is done or it is not);
//   - r is the rating factor: 0.8 + 0.1·(rating−1), from 0.8 for a rating
//     of 1 to 1.2 for a 5; 1 without a rating.
//
// A review that assessed only dropped actions has no index. Arithmetic is in
// integers, so the same review always gives the same index.
package successindex

import (
	"fmt"
	"time"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// horizonWeight is w.
var horizonWeight = map[v1alpha1.Horizon]int64{
	v1alpha1.Horizon3Months: 3, v1alpha1.Horizon6Months: 2, v1alpha1.HorizonBeyond: 1,
}

// outcomeScore is s, in percent.
var outcomeScore = map[v1alpha1.Outcome]int64{
	v1alpha1.OutcomeDone: 100, v1alpha1.OutcomeOnTrack: 75, v1alpha1.OutcomeBehind: 25, v1alpha1.OutcomeNotStarted: 0,
}

// ratingTenths is r in tenths: rating 1 is 8, 3 is 10, 5 is 12.
func ratingTenths(rating *int32) int64 {
	if rating == nil || *rating < 1 || *rating > 5 {
		return 10
	}
	return 7 + int64(*rating)
}

// ReviewIndex is the index of one review, and false when no action it
// assessed counts (all dropped, or none known).
func ReviewIndex(actions []v1alpha1.CommitmentAction, review v1alpha1.CommitmentReview) (int32, bool) {
	byName := make(map[string]v1alpha1.CommitmentAction, len(actions))
	for _, a := range actions {
		byName[a.Name] = a
	}
	var num, den int64
	for _, o := range review.Outcomes {
		a, known := byName[o.Action]
		score, scored := outcomeScore[o.Outcome]
		if !known || !scored {
			continue // dropped, or an action the API server would have refused
		}
		w, ok := horizonWeight[a.Horizon]
		if !ok {
			w = 1
		}
		if a.Due != "" && string(a.Due) < string(review.Date) && o.Outcome != v1alpha1.OutcomeDone {
			score = 0
		}
		num += w * score * ratingTenths(o.Rating)
		den += w * 10
	}
	if den == 0 {
		return 0, false
	}
	idx := (num + den/2) / den // round half up; all terms are non-negative
	return int32(min(idx, 100)), true
}

// QuarterOf is the quarter t falls in, in t's location.
func QuarterOf(t time.Time) v1alpha1.Quarter {
	return v1alpha1.Quarter(fmt.Sprintf("%04d-Q%d", t.Year(), (int(t.Month())-1)/3+1))
}

// ParseQuarter reads a quarter such as 2026-Q4.
func ParseQuarter(q v1alpha1.Quarter) (year, quarter int, err error) {
	if _, err := fmt.Sscanf(string(q), "%4d-Q%1d", &year, &quarter); err != nil || quarter < 1 || quarter > 4 || len(q) != 7 {
		return 0, 0, fmt.Errorf("%q is not a quarter such as 2026-Q4", q)
	}
	return year, quarter, nil
}

// EndOfNextQuarter is the end of the quarter after q (the first instant of
// the quarter after that), in UTC: when q's successor must be reviewed by.
func EndOfNextQuarter(q v1alpha1.Quarter) (time.Time, error) {
	year, quarter, err := ParseQuarter(q)
	if err != nil {
		return time.Time{}, err
	}
	// Months from the start of q: the next quarter ends six months on.
	return time.Date(year, time.Month((quarter-1)*3+1+6), 1, 0, 0, 0, 0, time.UTC), nil
}
