package successindex

import (
	"fmt"
	"slices"
	"time"

	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/due"
	"github.com/momentum-dev/momentum/internal/health"
)

// DefaultFloor is the confidentiality floor without spec.confidentialityFloor:
// the fewest commitments (or respondents) an aggregate is shown for, as
// engagement-survey tools do.
const DefaultFloor = 5

// Floor is the initiative's confidentiality floor.
func Floor(spec v1alpha1.InitiativeSpec) int {
	if spec.ConfidentialityFloor != nil && *spec.ConfidentialityFloor > 0 {
		return int(*spec.ConfidentialityFloor)
	}
	return DefaultFloor
}

// Commitment is what the roll-up needs of one Commitment.
type Commitment struct {
	Spec    v1alpha1.CommitmentSpec
	Created time.Time
}

// Rollup summarises an initiative's commitments at now, and says when it
// next changes by time alone. Counts and participation are always shown;
// the mean index and its trend only over at least Floor indexed commitments
// (per quarter for the trend), so no one's index can be read off the mean.
func Rollup(spec v1alpha1.InitiativeSpec, commitments []Commitment, now time.Time) (v1alpha1.CommitmentRollup, time.Time) {
	floor := Floor(spec)
	r := v1alpha1.CommitmentRollup{Count: int32(len(commitments)), Participation: Participation(spec, commitments)}
	var recheck time.Time
	var indexes []int64
	perQuarter := map[string][]int64{}
	for _, c := range commitments {
		res := Evaluate(c.Spec, c.Created, now)
		recheck = due.Earliest(recheck, res.RecheckAt)
		if res.ReviewOverdue {
			r.OverdueReviews++
		}
		if res.Index != nil {
			indexes = append(indexes, int64(*res.Index))
		}
		for _, q := range res.Quarters {
			if q.Index != nil {
				perQuarter[q.Quarter] = append(perQuarter[q.Quarter], int64(*q.Index))
			}
		}
	}
	if r.Count > 0 {
		r.ReviewsOnTime = ptr.To(percent(int(r.Count-r.OverdueReviews), int(r.Count)))
	}
	if len(indexes) < floor {
		r.Hidden = fmt.Sprintf("%d reviewed commitments, fewer than the confidentiality floor of %d: the mean index is not shown", len(indexes), floor)
		return r, recheck
	}
	r.MeanIndex = ptr.To(int32(mean(indexes)))
	quarters := make([]string, 0, len(perQuarter))
	for q, idx := range perQuarter {
		if len(idx) >= floor {
			quarters = append(quarters, q)
		}
	}
	slices.Sort(quarters)
	series := make([]v1alpha1.Measurement, 0, len(quarters))
	for _, q := range quarters {
		series = append(series, v1alpha1.Measurement{Value: v1alpha1.NewDecimal(float64(mean(perQuarter[q])))})
	}
	r.Trend = health.TrendOver(series, indexScale, TrendQuarters)
	return r, recheck
}

// Participation is the percent of the initiative's sponsors, council
// members and teams that own a commitment; nil when it lists none. A person
// owns one by name; a team by a Team-owned commitment or a member's
// spec.team.
func Participation(spec v1alpha1.InitiativeSpec, commitments []Commitment) *int32 {
	people := map[string]bool{}
	teams := map[string]bool{}
	for _, c := range commitments {
		if c.Spec.Owner.Kind == v1alpha1.OwnerTeam {
			teams[c.Spec.Owner.Name] = true
		} else {
			people[c.Spec.Owner.Name] = true
		}
		if c.Spec.Team != "" {
			teams[c.Spec.Team] = true
		}
	}
	members := map[string]bool{}
	for _, p := range append(slices.Clone(spec.Sponsors), spec.Council...) {
		members[p.Name] = people[p.Name]
	}
	total, covered := len(members), 0
	for _, in := range members {
		if in {
			covered++
		}
	}
	for _, t := range spec.Teams {
		total++
		if teams[t] {
			covered++
		}
	}
	if total == 0 {
		return nil
	}
	return ptr.To(percent(covered, total))
}

// percent is 100·part/whole rounded half up.
func percent(part, whole int) int32 {
	return int32((200*part + whole) / (2 * whole))
}

// mean rounds half up; all values are non-negative.
func mean(values []int64) int64 {
	var sum int64
	for _, v := range values {
		sum += v
	}
	n := int64(len(values))
	return (2*sum + n) / (2 * n)
}

// Of turns Commitment objects into roll-up inputs.
func Of(items []v1alpha1.Commitment) []Commitment {
	out := make([]Commitment, 0, len(items))
	for _, c := range items {
		out = append(out, Commitment{Spec: c.Spec, Created: c.CreationTimestamp.Time})
	}
	return out
}
