// Package stages decides where an initiative stands: which stage it is in,
// which exit criteria of that stage are met, whether it advances, and how far
// through the program it is. Everything here is a pure function of its inputs.
package stages

import (
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/bound"
	"github.com/momentum-dev/momentum/internal/health"
)

// Indicator is what the stage machine needs to know of a LeadingIndicator.
type Indicator struct {
	Health    v1alpha1.Health
	Freshness v1alpha1.Freshness
	Value     *v1alpha1.Decimal
	Target    v1alpha1.Target
	// History is the indicator's recorded measurements, oldest first.
	History []v1alpha1.Measurement
}

// Input is everything a decision depends on.
type Input struct {
	// Spec is the initiative's spec.
	Spec v1alpha1.InitiativeSpec
	// Status is the initiative's status as last recorded.
	Status v1alpha1.InitiativeStatus
	// Indicators holds the LeadingIndicators that gates name, by name; a
	// name that is absent was not found.
	Indicators map[string]Indicator
	// Now is the time of the decision.
	Now time.Time
	// Freeze, when set, holds advancement: every stage's dry run shows it
	// as an unmet gate until it ends.
	Freeze *Freeze
}

// Freeze is a freeze window in force.
type Freeze struct {
	// Name of the freeze and the moment it ends.
	Name  string
	Until time.Time
}

// Outcome is the decision: the status fields it owns and what happened.
type Outcome struct {
	// Stage and EnteredAt are the current stage after the decision.
	Stage     string
	EnteredAt metav1.Time
	// History is the stage history after the decision, within MaxHistory.
	History []v1alpha1.StageRecord
	// HistoryTrimmed counts the entries this decision dropped from History.
	HistoryTrimmed int32
	// Gates are the current stage's exit criteria, evaluated.
	Gates []v1alpha1.GateStatus
	// Progress is 0-100.
	Progress int32
	// Entered is set when the decision entered a stage (the first, or the
	// next one).
	Entered *Transition
	// StageMissing is true when the recorded stage is no longer in the spec;
	// nothing else is decided then.
	StageMissing bool
	// MissingIndicators names indicators that gates of any stage reference
	// but that do not exist, in spec order.
	MissingIndicators []string
	// RecheckAt is when a time-based gate of the current stage will be met;
	// zero when none is pending.
	RecheckAt time.Time
	// Final is true in the last stage.
	Final bool
	// Ready is true when every exit criterion of the current stage is met.
	// In the last stage or while suspended, this is not acted upon.
	Ready bool
	// Plan is the dry run of every stage on current data.
	Plan []v1alpha1.StagePlan
}

// Transition is a stage entered by the decision.
type Transition struct {
	From, To string
	// Reason says why the stage before was left.
	Reason string
}

// Resolve returns the stages in effect: the spec's, or the four defaults.
func Resolve(spec v1alpha1.InitiativeSpec) []v1alpha1.Stage {
	if len(spec.Stages) > 0 {
		return spec.Stages
	}
	out := make([]v1alpha1.Stage, len(v1alpha1.DefaultStages))
	for i, name := range v1alpha1.DefaultStages {
		out[i] = v1alpha1.Stage{Name: name}
	}
	return out
}

// IndicatorNames lists every indicator that a gate of any stage names, once each.
func IndicatorNames(spec v1alpha1.InitiativeSpec) []string {
	var names []string
	seen := map[string]bool{}
	for _, s := range spec.Stages {
		if s.ExitCriteria == nil {
			continue
		}
		for _, c := range s.ExitCriteria.Indicators {
			if !seen[c.Name] {
				seen[c.Name] = true
				names = append(names, c.Name)
			}
		}
	}
	return names
}

// Decide evaluates the current stage and advances at most one stage.
func Decide(in Input) Outcome {
	all := Resolve(in.Spec)
	out := Outcome{
		Stage:   in.Status.Stage,
		History: append([]v1alpha1.StageRecord(nil), in.Status.History...),
	}
	for _, name := range IndicatorNames(in.Spec) {
		if _, ok := in.Indicators[name]; !ok {
			out.MissingIndicators = append(out.MissingIndicators, name)
		}
	}
	now := metav1.NewTime(in.Now.UTC().Truncate(time.Second))

	if out.Stage == "" {
		out.Stage, out.EnteredAt = all[0].Name, now
		out.History = append(out.History, v1alpha1.StageRecord{Name: all[0].Name, EnteredAt: now})
		out.Entered = &Transition{To: all[0].Name, Reason: "the initiative started"}
	} else if in.Status.StageEnteredAt != nil {
		out.EnteredAt = *in.Status.StageEnteredAt
	} else if n := len(out.History); n > 0 && out.History[n-1].Name == out.Stage {
		out.EnteredAt = out.History[n-1].EnteredAt
	}
	idx := index(all, out.Stage)
	if idx < 0 {
		out.StageMissing = true
		return out
	}

	out.Final = idx == len(all)-1
	current := recordBaselines(out.History, all[idx], in.Indicators)
	gates, met, recheck := Evaluate(all[idx], out.Final, out.EnteredAt.Time, baselinesOf(current), in)
	out.Gates, out.Ready, out.RecheckAt = gates, met, recheck

	if met && !out.Final && !suspended(in.Spec) {
		next := all[idx+1]
		reason := Explain(gates)
		if current != nil {
			current.ExitedAt = &now
			current.Reason = reason
		}
		out.History = append(out.History, v1alpha1.StageRecord{Name: next.Name, EnteredAt: now})
		out.Entered = &Transition{From: out.Stage, To: next.Name, Reason: reason}
		out.Stage, out.EnteredAt, idx = next.Name, now, idx+1
		out.Final = idx == len(all)-1
		current = recordBaselines(out.History, next, in.Indicators)
		out.Gates, out.Ready, out.RecheckAt = Evaluate(next, out.Final, now.Time, baselinesOf(current), in)
	}
	out.Progress = progress(all, idx, out.Gates)
	out.Plan = plan(all, idx, out.Gates, in)
	out.History, out.HistoryTrimmed = trimHistory(out.History)
	return out
}

// trimHistory keeps the newest v1alpha1.MaxHistory records (the current
// stage's is the newest) and says how many older ones it dropped.
func trimHistory(h []v1alpha1.StageRecord) ([]v1alpha1.StageRecord, int32) {
	kept := bound.Newest(h, v1alpha1.MaxHistory)
	return kept, int32(len(h) - len(kept))
}

// recordBaselines finds the open history record of stage and records, once,
// the value of each indicator its improvement gates compare against: the
// value when the stage was entered, or the first one measured in it. Kept in
// status, baselines survive restarts. It returns the record, or nil.
func recordBaselines(history []v1alpha1.StageRecord, stage v1alpha1.Stage, inds map[string]Indicator) *v1alpha1.StageRecord {
	n := len(history)
	if n == 0 || history[n-1].Name != stage.Name || history[n-1].ExitedAt != nil {
		return nil
	}
	rec := &history[n-1]
	if stage.ExitCriteria == nil {
		return rec
	}
	for _, c := range stage.ExitCriteria.Indicators {
		ind, ok := inds[c.Name]
		if c.Improvement == nil || !ok || ind.Value == nil || hasBaseline(rec.Baselines, c.Name) {
			continue
		}
		rec.Baselines = append(append([]v1alpha1.Baseline(nil), rec.Baselines...), v1alpha1.Baseline{Indicator: c.Name, Value: *ind.Value})
	}
	return rec
}

func hasBaseline(bs []v1alpha1.Baseline, name string) bool {
	for _, b := range bs {
		if b.Indicator == name {
			return true
		}
	}
	return false
}

func baselinesOf(rec *v1alpha1.StageRecord) map[string]v1alpha1.Decimal {
	out := map[string]v1alpha1.Decimal{}
	if rec != nil {
		for _, b := range rec.Baselines {
			out[b.Indicator] = b.Value
		}
	}
	return out
}

// plan is the dry run of every stage on current data: passed stages count as
// met, the current one is as evaluated, and upcoming ones are judged as if
// entered (minDuration not yet met, improvements starting from today's
// values). Nothing in it depends on the clock, so an idle reconcile leaves it
// unchanged and writes nothing.
func plan(all []v1alpha1.Stage, idx int, current []v1alpha1.GateStatus, in Input) []v1alpha1.StagePlan {
	out := make([]v1alpha1.StagePlan, 0, len(all))
	for i, s := range all {
		p := v1alpha1.StagePlan{Name: s.Name}
		switch {
		case i < idx:
			n := int32(countCriteria(s))
			p.State, p.Met, p.Total = v1alpha1.StagePassed, n, n
		case i == idx:
			// Its gates are status.gates: not repeated, to keep status compact.
			p.State, p.Met, p.Total = v1alpha1.StageCurrent, countMet(current), int32(len(current))
		default:
			baselines := map[string]v1alpha1.Decimal{}
			for name, ind := range in.Indicators {
				if ind.Value != nil {
					baselines[name] = *ind.Value
				}
			}
			p.State = v1alpha1.StageUpcoming
			p.Gates, _, _ = Evaluate(s, i == len(all)-1, time.Time{}, baselines, in)
		}
		if i > idx {
			p.Met, p.Total = countMet(p.Gates), int32(len(p.Gates))
		}
		out = append(out, p)
	}
	return out
}

// countMet counts the gates met.
func countMet(gates []v1alpha1.GateStatus) int32 {
	var n int32
	for _, g := range gates {
		if g.Met {
			n++
		}
	}
	return n
}

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
	g.Message = truncate(strings.Join(parts, "; "), 1024)
	return g
}

// trendGate judges the trend of the newest trendSamples measurements (by
// default as many as the indicator's own trend looks at).
func trendGate(c v1alpha1.IndicatorCriterion, ind Indicator) (bool, string) {
	n := v1alpha1.DefaultTrendSamples
	if c.TrendSamples != nil {
		n = int(*c.TrendSamples)
	}
	if len(ind.History) < n {
		return false, fmt.Sprintf("trend needs %d measurements, has %d", n, len(ind.History))
	}
	t := health.TrendOver(ind.History, ind.Target, n)
	met := t == v1alpha1.TrendImproving || (c.Trend == v1alpha1.RequireNotDeclining && t == v1alpha1.TrendSteady)
	if met {
		return true, fmt.Sprintf("trend %s over %d measurements", t, n)
	}
	return false, fmt.Sprintf("trend %s over %d measurements; needs %s", t, n, c.Trend)
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

// Explain summarises met gates as the reason a stage was left.
func Explain(gates []v1alpha1.GateStatus) string {
	parts := make([]string, 0, len(gates))
	for _, g := range gates {
		parts = append(parts, g.Message)
	}
	return truncate("exit criteria met: "+strings.Join(parts, "; "), 1024)
}

// progress is the share of all exit criteria met: every stage before the
// current one counts as fully met. The last stage has no exit, so its
// criteria do not count.
func progress(all []v1alpha1.Stage, idx int, current []v1alpha1.GateStatus) int32 {
	total, met := 0, 0
	for i, s := range all[:len(all)-1] {
		n := countCriteria(s)
		total += n
		if i < idx {
			met += n
		}
	}
	if idx < len(all)-1 {
		for _, g := range current {
			if g.Met {
				met++
			}
		}
	}
	if total == 0 || idx == len(all)-1 {
		return 100
	}
	return int32(met * 100 / total)
}

func countCriteria(s v1alpha1.Stage) int {
	ec := s.ExitCriteria
	if ec == nil || isEmpty(ec) {
		return 1 // the approval that stands in for missing criteria
	}
	n := len(ec.Actions) + len(ec.Indicators)
	if ec.MinDuration != nil {
		n++
	}
	if ec.Approval == v1alpha1.ApprovalRequired {
		n++
	}
	return n
}

func isEmpty(ec *v1alpha1.ExitCriteria) bool {
	return ec.MinDuration == nil && len(ec.Actions) == 0 && len(ec.Indicators) == 0 && ec.Approval != v1alpha1.ApprovalRequired
}

func approvedBy(approvals []v1alpha1.Approval, stage string) (string, bool) {
	for _, a := range approvals {
		if a.Stage == stage {
			return a.ApprovedBy, true
		}
	}
	return "", false
}

func index(all []v1alpha1.Stage, name string) int {
	for i, s := range all {
		if s.Name == name {
			return i
		}
	}
	return -1
}

func suspended(spec v1alpha1.InitiativeSpec) bool { return spec.Suspend != nil && *spec.Suspend }

// truncate shortens s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("...")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
