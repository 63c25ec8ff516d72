// Package health decides how a leading indicator stands: its health against
// the target, whether its data is fresh, and the trend of recent measurements.
// Everything here is a pure function of its inputs.
package health

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"time"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// TrendWindow is how many of the newest measurements the trend looks at:
// v1alpha1.DefaultTrendSamples, which the trend gate defaults to as well.
const TrendWindow = v1alpha1.DefaultTrendSamples

// HistoryLimit is how many measurements an indicator's status.history
// keeps: its spec.historyLimit, or v1alpha1.DefaultHistoryLimit.
func HistoryLimit(spec v1alpha1.LeadingIndicatorSpec) int {
	if spec.HistoryLimit != nil {
		return int(*spec.HistoryLimit)
	}
	return v1alpha1.DefaultHistoryLimit
}

// steadyShare is the share of the target's scale within which a change over
// the trend window counts as Steady rather than Improving or Declining.
const steadyShare = 0.01

// Result is the evaluation of an indicator at one moment.
type Result struct {
	// Latest is the newest measurement; nil when there is none.
	Latest *v1alpha1.Measurement
	// Health of Latest against the target; Unknown without fresh data.
	Health v1alpha1.Health
	// Freshness of Latest.
	Freshness v1alpha1.Freshness
	// Trend of the newest measurements.
	Trend v1alpha1.Trend
	// StaleAt is when Latest becomes stale; zero when it never will or already is.
	StaleAt time.Time
}

// Evaluate judges the measurements (oldest first) against the target at now.
func Evaluate(target v1alpha1.Target, freshness time.Duration, history []v1alpha1.Measurement, now time.Time) Result {
	if len(history) == 0 {
		return Result{Health: v1alpha1.HealthUnknown, Freshness: v1alpha1.NoData, Trend: v1alpha1.TrendUnknown}
	}
	latest := history[len(history)-1]
	res := Result{
		Latest:    &latest,
		Freshness: v1alpha1.Fresh,
		Health:    Judge(latest.Value, target),
		Trend:     TrendOf(history, target),
	}
	if freshness > 0 {
		staleAt := latest.At.Add(freshness)
		if now.Before(staleAt) {
			res.StaleAt = staleAt
		} else {
			res.Freshness = v1alpha1.Stale
			res.Health = v1alpha1.HealthUnknown
		}
	}
	return res
}

// Judge compares a value with the target exactly (no float rounding).
func Judge(value v1alpha1.Decimal, target v1alpha1.Target) v1alpha1.Health {
	v, t := value.Rat(), target.Value.Rat()
	margin := new(big.Rat)
	if target.AtRiskMargin != nil {
		margin = target.AtRiskMargin.Rat()
	}
	// gap is how far v is on the wrong side of t (negative or zero: on target).
	gap := Gain(target.Direction, v, t)
	switch {
	case gap.Sign() <= 0:
		return v1alpha1.HealthOnTarget
	case gap.Cmp(margin) <= 0:
		return v1alpha1.HealthAtRisk
	default:
		return v1alpha1.HealthOffTarget
	}
}

// TrendOf fits a least-squares line through the newest TrendWindow
// measurements and reads the change it predicts over that window: within
// 1% of the target's scale it is Steady, otherwise Improving or Declining
// according to the target's direction. Fewer than two measurements: Unknown.
func TrendOf(history []v1alpha1.Measurement, target v1alpha1.Target) v1alpha1.Trend {
	return TrendOver(history, target, TrendWindow)
}

// TrendOver is TrendOf over the newest window measurements.
func TrendOver(history []v1alpha1.Measurement, target v1alpha1.Target, window int) v1alpha1.Trend {
	if len(history) > window {
		history = history[len(history)-window:]
	}
	n := len(history)
	if n < 2 {
		return v1alpha1.TrendUnknown
	}
	var sumX, sumY, sumXY, sumXX, sumAbs float64
	for i, m := range history {
		x, y := float64(i), m.Value.Float64()
		sumX += x
		sumY += y
		sumXY += x * y
		sumXX += x * x
		sumAbs += math.Abs(y)
	}
	fn := float64(n)
	slope := (fn*sumXY - sumX*sumY) / (fn*sumXX - sumX*sumX)
	change := slope * (fn - 1)
	scale := math.Max(math.Abs(target.Value.Float64()), sumAbs/fn)
	if math.Abs(change) <= scale*steadyShare {
		return v1alpha1.TrendSteady
	}
	if (change > 0) == (target.Direction != v1alpha1.AtMost) {
		return v1alpha1.TrendImproving
	}
	return v1alpha1.TrendDeclining
}

// MergeHistory adds the samples to the recorded history and keeps the newest
// limit measurements, oldest first. A sample replaces a recorded measurement
// taken at the same time (a corrected value); measurements no longer in the
// samples are kept, because history is never lost.
func MergeHistory(recorded []v1alpha1.Measurement, samples []v1alpha1.Sample, limit int) []v1alpha1.Measurement {
	byTime := make(map[int64]v1alpha1.Measurement, len(recorded)+len(samples))
	for _, m := range recorded {
		byTime[m.At.Unix()] = m
	}
	for _, s := range samples {
		byTime[s.At.Unix()] = v1alpha1.Measurement{At: s.At, Value: s.Value}
	}
	merged := make([]v1alpha1.Measurement, 0, len(byTime))
	for _, m := range byTime {
		merged = append(merged, m)
	}
	sort.Slice(merged, func(i, j int) bool { return merged[i].At.Before(&merged[j].At) })
	if limit > 0 && len(merged) > limit {
		merged = merged[len(merged)-limit:]
	}
	return merged
}

// Describe says how an indicator stands in words, e.g.
// "employee-awareness is AtRisk: 61 < target 75".
func Describe(name string, h v1alpha1.Health, f v1alpha1.Freshness, value *v1alpha1.Decimal, target v1alpha1.Target) string {
	switch {
	case f == v1alpha1.NoData || value == nil:
		return fmt.Sprintf("%s has no measurement yet", name)
	case f == v1alpha1.Stale:
		return fmt.Sprintf("%s is stale: its newest measurement (%s) is older than spec.freshness", name, value)
	case h == "" || h == v1alpha1.HealthUnknown:
		return fmt.Sprintf("%s is Unknown", name)
	}
	return fmt.Sprintf("%s is %s: %s %s target %s", name, h, value, relation(*value, target), target.Value)
}

func relation(value v1alpha1.Decimal, target v1alpha1.Target) string {
	switch value.Rat().Cmp(target.Value.Rat()) {
	case -1:
		return "<"
	case 1:
		return ">"
	}
	return "="
}

// Gain is how much better to is than from in a target's direction: to -
// from for AtLeast, from - to for AtMost (a fall is a gain there). It is
// the one place the direction flips a sign: how far a value falls short of
// its target is Gain(direction, value, target).
func Gain(direction v1alpha1.Direction, from, to *big.Rat) *big.Rat {
	gain := new(big.Rat).Sub(to, from)
	if direction == v1alpha1.AtMost {
		gain.Neg(gain)
	}
	return gain
}
