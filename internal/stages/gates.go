package stages

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/bound"
	"github.com/momentum-dev/momentum/internal/health"
)

// Evaluate judges every exit criterion of a stage entered at enteredAt. A
// stage without criteria needs an approval, unless it is the last one, which
// has no exit. recheck is when the minDuration gate will be met, if it is not yet.
func Evaluate(stage v1alpha1.Stage, final bool, enteredAt time.Time, baselines map[string]v1alpha1.Decimal, in Input) (gates []v1alpha1.GateStatus, allMet bool, recheck time.Time) {
	ec := stage.ExitCriteria
	if ec == nil {
		ec = &v1alpha1.ExitCriteria{}
	}
	if ec.MinDuration != nil && enteredAt.IsZero() {
		// A dry run of a stage not yet entered: no due time exists yet.
		gates = append(gates, v1alpha1.GateStatus{Kind: v1alpha1.GateMinDuration, Name: stage.Name,
			Message: fmt.Sprintf("minDuration %s, counted from entering the stage", ec.MinDuration.Duration)})
	} else if ec.MinDuration != nil {
		g := v1alpha1.GateStatus{Kind: v1alpha1.GateMinDuration, Name: stage.Name}
		due := enteredAt.Add(ec.MinDuration.Duration)
		if !in.Now.Before(due) {
			g.Met = true
			g.Message = fmt.Sprintf("minDuration %s reached", ec.MinDuration.Duration)
		} else {
			recheck = due
			// The due time, not a countdown: a message that changes with the
			// clock would make every reconcile write.
			g.Message = fmt.Sprintf("minDuration %s not reached: due at %s", ec.MinDuration.Duration, due.UTC().Format(time.RFC3339))
		}
		gates = append(gates, g)
	}
	for _, a := range ec.Actions {
		g := v1alpha1.GateStatus{Kind: v1alpha1.GateAction, Name: a.Name, Met: a.Done}
		switch {
		case a.Done:
			g.Message = fmt.Sprintf("action %s is done", a.Name)
		case a.Owner != "":
			g.Message = fmt.Sprintf("action %s is not done yet (owner: %s)", a.Name, a.Owner)
		default:
			g.Message = fmt.Sprintf("action %s is not done yet", a.Name)
		}
		gates = append(gates, g)
	}
	for _, c := range ec.Indicators {
		gates = append(gates, indicatorGate(c, in.Indicators, baselines))
	}
	if ec.Approval == v1alpha1.ApprovalRequired || (isEmpty(ec) && !final) {
		g := v1alpha1.GateStatus{Kind: v1alpha1.GateApproval, Name: stage.Name}
		if by, ok := approvedBy(in.Spec.Approvals, stage.Name); ok {
			g.Met, g.Message = true, fmt.Sprintf("stage %s approved by %s", stage.Name, by)
		} else {
			g.Message = fmt.Sprintf("stage %s awaits approval: add {stage: %s, approvedBy: <name>} to spec.approvals", stage.Name, stage.Name)
		}
		gates = append(gates, g)
	}
	if in.Freeze != nil && !final {
		gates = append(gates, v1alpha1.GateStatus{Kind: v1alpha1.GateFreeze, Name: in.Freeze.Name, Message: fmt.Sprintf(
			"freeze %s holds stage advancement until %s", in.Freeze.Name, in.Freeze.Until.UTC().Format(time.RFC3339))})
		if recheck.IsZero() || in.Freeze.Until.Before(recheck) {
			recheck = in.Freeze.Until
		}
	}
	allMet = true
	for _, g := range gates {
		allMet = allMet && g.Met
	}
	return gates, allMet, recheck
}

func indicatorGate(c v1alpha1.IndicatorCriterion, indicators map[string]Indicator, baselines map[string]v1alpha1.Decimal) v1alpha1.GateStatus {
	g := v1alpha1.GateStatus{Kind: v1alpha1.GateIndicator, Name: c.Name}
	ind, ok := indicators[c.Name]
	if !ok {
		g.Message = fmt.Sprintf("LeadingIndicator %s not found", c.Name)
		return g
	}
	healthMet := ind.Health == v1alpha1.HealthOnTarget ||
		(c.Health == v1alpha1.RequireNotOffTarget && ind.Health == v1alpha1.HealthAtRisk)
	parts := []string{health.Describe(c.Name, ind.Health, ind.Freshness, ind.Value, ind.Target)}
	if !healthMet {
		parts[0] += fmt.Sprintf("; needs %s", requirement(c.Health))
	}
	g.Met = healthMet
	if c.Trend != "" {
		met, msg := trendGate(c, ind)
		g.Met = g.Met && met
		parts = append(parts, msg)
	}
	if c.Improvement != nil {
		met, msg := improvementGate(c, ind, baselines)
		g.Met = g.Met && met
		parts = append(parts, msg)
	}
	g.Message = bound.Text(strings.Join(parts, "; "), 1024)
	return g
}

// trendGate judges the trend of the newest trendSamples measurements (by
// default as many as the indicator's own trend looks at).
func trendGate(c v1alpha1.IndicatorCriterion, ind Indicator) (bool, string) {
	n, unsatisfiable := TrendWindow(c, ind.HistoryLimit)
	switch {
	case unsatisfiable != "":
		return false, unsatisfiable
	case len(ind.History) < n:
		return false, fmt.Sprintf("trend needs %d measurements, has %d", n, len(ind.History))
	}
	t := health.TrendOver(ind.History, ind.Target, n)
	met := t == v1alpha1.TrendImproving || (c.Trend == v1alpha1.RequireNotDeclining && t == v1alpha1.TrendSteady)
	if met {
		return true, fmt.Sprintf("trend %s over %d measurements", t, n)
	}
	return false, fmt.Sprintf("trend %s over %d measurements; needs %s", t, n, c.Trend)
}

// TrendWindow is how many measurements a trend gate looks at: trendSamples,
// where the default (v1alpha1.DefaultTrendSamples, which the API server
// writes when the field is omitted) is capped at the indicator's
// historyLimit, since a history that short never holds more. Any other
// trendSamples above historyLimit can never be met: unsatisfiable says so
// and what to change.
func TrendWindow(c v1alpha1.IndicatorCriterion, historyLimit int) (n int, unsatisfiable string) {
	n = v1alpha1.DefaultTrendSamples
	if c.TrendSamples != nil {
		n = int(*c.TrendSamples)
	}
	switch {
	case historyLimit <= 0 || n <= historyLimit:
		return n, ""
	case n == v1alpha1.DefaultTrendSamples:
		return historyLimit, ""
	}
	return n, fmt.Sprintf("trendSamples %d can never be met: LeadingIndicator %s keeps only %d measurements (spec.historyLimit); lower trendSamples to at most %d or raise historyLimit",
		n, c.Name, historyLimit, historyLimit)
}

// improvementGate compares the value with the stage's baseline, in the
// target's direction.
func improvementGate(c v1alpha1.IndicatorCriterion, ind Indicator, baselines map[string]v1alpha1.Decimal) (bool, string) {
	base, ok := baselines[c.Name]
	if !ok || ind.Value == nil {
		return false, "improvement needs a measurement in this stage to record the baseline"
	}
	gain := health.Gain(ind.Target.Direction, base.Rat(), ind.Value.Rat())
	var need *big.Rat
	var unit string
	if p := c.Improvement.Percent; p != nil {
		need = new(big.Rat).Mul(new(big.Rat).Abs(base.Rat()), p.Rat())
		need.Quo(need, big.NewRat(100, 1))
		unit = "+" + p.String() + "%"
	} else {
		need = c.Improvement.Points.Rat()
		unit = "+" + c.Improvement.Points.String() + " points"
	}
	met := gain.Cmp(need) >= 0 && (gain.Sign() > 0 || need.Sign() == 0)
	msg := fmt.Sprintf("%s since the stage began (baseline %s)", signed(gain), base)
	if !met {
		msg += "; needs " + unit
	}
	return met, msg
}

func signed(r *big.Rat) string {
	s := strings.TrimRight(strings.TrimRight(r.FloatString(4), "0"), ".")
	if r.Sign() >= 0 {
		return "+" + s
	}
	return s
}

func requirement(r v1alpha1.RequiredHealth) string {
	if r == v1alpha1.RequireNotOffTarget {
		return "OnTarget or AtRisk"
	}
	return "OnTarget"
}
