// Package momentum decides whether an initiative is losing momentum and why.
// Everything here is a pure function of its inputs.
package momentum

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// Indicator is what the risk decision needs to know of a LeadingIndicator.
type Indicator struct {
	Name      string
	Health    v1alpha1.Health
	Freshness v1alpha1.Freshness
}

// Input is everything the risk decision depends on.
type Input struct {
	// Indicators are the initiative's LeadingIndicators.
	Indicators []Indicator
	// Stage is the current stage, entered at EnteredAt, with its
	// targetDuration (zero when it has none).
	Stage          string
	EnteredAt      time.Time
	TargetDuration time.Duration
	Now            time.Time
}

// Risk is the decision.
type Risk struct {
	// AtRisk is true when anything below holds the program back.
	AtRisk bool
	// Reason is the condition reason of the most severe blocker, or OnTrack.
	Reason string
	// Message lists the blockers, most severe first.
	Message string
	// RecheckAt is when the stage becomes overdue; zero when it never will
	// or already is.
	RecheckAt time.Time
}

// Assess lists what puts momentum at risk, most severe first: indicators
// off target, indicators with stale data, and a stage past its target duration.
func Assess(in Input) Risk {
	var off, stale []string
	for _, ind := range in.Indicators {
		switch {
		case ind.Freshness == v1alpha1.Stale:
			stale = append(stale, ind.Name)
		case ind.Health == v1alpha1.HealthOffTarget:
			off = append(off, ind.Name)
		}
	}
	sort.Strings(off)
	sort.Strings(stale)

	var reasons, blockers []string
	if len(off) > 0 {
		reasons = append(reasons, v1alpha1.ReasonIndicatorOffTarget)
		blockers = append(blockers, fmt.Sprintf("%s off target: %s", plural(len(off), "indicator"), strings.Join(off, ", ")))
	}
	if len(stale) > 0 {
		reasons = append(reasons, v1alpha1.ReasonIndicatorStale)
		blockers = append(blockers, fmt.Sprintf("%s stale: %s (record a new measurement)", plural(len(stale), "indicator"), strings.Join(stale, ", ")))
	}
	var recheck time.Time
	if in.TargetDuration > 0 && !in.EnteredAt.IsZero() {
		due := in.EnteredAt.Add(in.TargetDuration)
		if in.Now.Before(due) {
			recheck = due
		} else {
			reasons = append(reasons, v1alpha1.ReasonStageOverdue)
			blockers = append(blockers, fmt.Sprintf("stage %s is past its targetDuration %s since %s",
				in.Stage, in.TargetDuration, due.UTC().Format(time.RFC3339)))
		}
	}
	if len(reasons) == 0 {
		return Risk{Reason: v1alpha1.ReasonOnTrack, Message: "no indicator is off target or stale and the stage is within its target duration", RecheckAt: recheck}
	}
	return Risk{AtRisk: true, Reason: reasons[0], Message: strings.Join(blockers, "; "), RecheckAt: recheck}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
