// Package stages decides where an initiative stands: which stage it is in,
// which exit criteria of that stage are met, whether it advances, and how far
// through the program it is. Everything here is a pure function of its inputs.
package stages

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/bound"
)

// Indicator is what the stage machine needs to know of a LeadingIndicator.
type Indicator struct {
	Health    v1alpha1.Health
	Freshness v1alpha1.Freshness
	Value     *v1alpha1.Decimal
	Target    v1alpha1.Target
	// History is the indicator's recorded measurements, oldest first.
	History []v1alpha1.Measurement
	// HistoryLimit is how many measurements History keeps at most (the
	// indicator's spec.historyLimit); 0 when not known.
	HistoryLimit int
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
