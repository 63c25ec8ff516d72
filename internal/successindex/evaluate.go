package successindex

import (
	"cmp"
	"slices"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/bound"
	"github.com/momentum-dev/momentum/internal/due"
	"github.com/momentum-dev/momentum/internal/health"
)

// TrendQuarters is how many of the newest reviewed quarters the trend reads.
const TrendQuarters = 4

// indexScale is the target the trend measures change against: 1% of it,
// one point, is Steady.
var indexScale = v1alpha1.Target{Value: "100", Direction: v1alpha1.AtLeast}

// Result is the Success Index of one commitment at a moment.
type Result struct {
	// Quarters is every reviewed quarter, oldest first.
	Quarters []v1alpha1.QuarterIndex
	// Index, Quarter and Confidence are the latest review's.
	Index      *int32
	Quarter    string
	Confidence v1alpha1.Confidence
	Trend      v1alpha1.Trend
	Actions    v1alpha1.ActionCounts
	// Overdue names overdue actions in spec order.
	Overdue []string
	// NextReviewDue is when the next review is due; ReviewOverdue is true
	// once it passed.
	NextReviewDue time.Time
	ReviewOverdue bool
	// RecheckAt is the next moment the result changes by time alone: a
	// review falling due or an action turning overdue.
	RecheckAt time.Time
}

// Evaluate computes the Success Index of a commitment created at created,
// at now. Dates are calendar dates in UTC.
func Evaluate(spec v1alpha1.CommitmentSpec, created, now time.Time) Result {
	var r Result
	reviews := slices.Clone(spec.Reviews)
	slices.SortFunc(reviews, func(a, b v1alpha1.CommitmentReview) int {
		return cmp.Compare(a.Quarter, b.Quarter)
	})
	for _, rev := range reviews {
		q := v1alpha1.QuarterIndex{Quarter: string(rev.Quarter), ReviewedOn: string(rev.Date), Confidence: rev.Confidence}
		if idx, ok := ReviewIndex(spec.Actions, rev); ok {
			q.Index = ptr.To(idx)
		}
		r.Quarters = append(r.Quarters, q)
	}
	if n := len(r.Quarters); n > 0 {
		last := r.Quarters[n-1]
		r.Index, r.Quarter, r.Confidence = last.Index, last.Quarter, last.Confidence
	}
	r.Trend = Trend(r.Quarters)

	today := now.UTC().Format(time.DateOnly)
	r.Actions.Total = int32(len(spec.Actions))
	for _, a := range spec.Actions {
		countStatus(&r.Actions, a.Status)
		if a.Due == "" || a.Status == v1alpha1.ActionDone || a.Status == v1alpha1.ActionDropped {
			continue
		}
		if string(a.Due) < today {
			r.Overdue = append(r.Overdue, a.Name)
			continue
		}
		// It turns overdue at the start of the day after its due date.
		if dueDate, err := time.Parse(time.DateOnly, string(a.Due)); err == nil {
			r.RecheckAt = due.Earliest(r.RecheckAt, dueDate.AddDate(0, 0, 1))
		}
	}
	r.Actions.Overdue = int32(len(r.Overdue))

	base := QuarterOf(created.UTC())
	if r.Quarter != "" {
		base = v1alpha1.Quarter(r.Quarter)
	}
	if reviewDue, err := EndOfNextQuarter(base); err == nil {
		r.NextReviewDue = reviewDue
		r.ReviewOverdue = !now.Before(reviewDue)
		if !r.ReviewOverdue {
			r.RecheckAt = due.Earliest(r.RecheckAt, reviewDue)
		}
	}
	return r
}

// Trend reads the direction of the indexed quarters, newest four.
func Trend(quarters []v1alpha1.QuarterIndex) v1alpha1.Trend {
	var series []v1alpha1.Measurement
	for _, q := range quarters {
		if q.Index != nil {
			series = append(series, v1alpha1.Measurement{Value: v1alpha1.NewDecimal(float64(*q.Index))})
		}
	}
	return health.TrendOver(series, indexScale, TrendQuarters)
}

// Apply writes r into a commitment's status, trimming lists to their bounds.
func Apply(st *v1alpha1.CommitmentStatus, r Result) {
	st.Index, st.Quarter, st.Confidence, st.Trend = r.Index, r.Quarter, r.Confidence, r.Trend
	st.Quarters = bound.Newest(r.Quarters, 16)
	st.OverdueActions = bound.Newest(r.Overdue, 20)
	st.Actions = ptr.To(r.Actions)
	st.NextReviewDue = nil
	if !r.NextReviewDue.IsZero() {
		st.NextReviewDue = ptr.To(metav1.NewTime(r.NextReviewDue))
	}
}

func countStatus(c *v1alpha1.ActionCounts, s v1alpha1.ActionStatus) {
	switch s {
	case v1alpha1.ActionDone:
		c.Done++
	case v1alpha1.ActionInProgress:
		c.InProgress++
	case v1alpha1.ActionDropped:
		c.Dropped++
	default:
		c.NotStarted++
	}
}
