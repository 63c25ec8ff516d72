package stages

import (
	"time"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

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
