// Package momentum decides whether an initiative is losing momentum and why.
// Everything here is a pure function of its inputs.
package momentum

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/due"
	"github.com/momentum-dev/momentum/internal/text"
)

// Indicator is what the risk decision needs to know of a LeadingIndicator.
type Indicator struct {
	Name      string
	Health    v1alpha1.Health
	Freshness v1alpha1.Freshness
	Trend     v1alpha1.Trend
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
	// Final is true in the last stage, where a declining indicator means
	// complacency.
	Final bool
	// LastProgress is when a gate was last newly met, a stage entered or an
	// indicator measured; Window is how long that may lie back (0: no limit).
	LastProgress time.Time
	Window       time.Duration
	Now          time.Time
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
// off target, indicators with stale data, a stage past its target duration,
// no progress within the momentum window, and complacency in the last stage.
func Assess(in Input) Risk {
	var off, stale, declining []string
	for _, ind := range in.Indicators {
		switch {
		case ind.Freshness == v1alpha1.Stale:
			stale = append(stale, ind.Name)
		case ind.Health == v1alpha1.HealthOffTarget:
			off = append(off, ind.Name)
		}
		if ind.Trend == v1alpha1.TrendDeclining {
			declining = append(declining, ind.Name)
		}
	}
	sort.Strings(off)
	sort.Strings(stale)
	sort.Strings(declining)

	var reasons, blockers []string
	if len(off) > 0 {
		reasons = append(reasons, v1alpha1.ReasonIndicatorOffTarget)
		blockers = append(blockers, fmt.Sprintf("%s off target: %s", text.Plural(len(off), "indicator"), strings.Join(off, ", ")))
	}
	if len(stale) > 0 {
		reasons = append(reasons, v1alpha1.ReasonIndicatorStale)
		blockers = append(blockers, fmt.Sprintf("%s stale: %s (record a new measurement)", text.Plural(len(stale), "indicator"), strings.Join(stale, ", ")))
	}
	var recheck time.Time
	if in.TargetDuration > 0 && !in.EnteredAt.IsZero() {
		dueAt := in.EnteredAt.Add(in.TargetDuration)
		if in.Now.Before(dueAt) {
			recheck = dueAt
		} else {
			reasons = append(reasons, v1alpha1.ReasonStageOverdue)
			blockers = append(blockers, fmt.Sprintf("stage %s is past its targetDuration %s since %s",
				in.Stage, in.TargetDuration, dueAt.UTC().Format(time.RFC3339)))
		}
	}
	if in.Window > 0 && !in.LastProgress.IsZero() {
		quietUntil := in.LastProgress.Add(in.Window)
		if in.Now.Before(quietUntil) {
			recheck = due.Earliest(recheck, quietUntil)
		} else {
			reasons = append(reasons, v1alpha1.ReasonNoProgress)
			blockers = append(blockers, fmt.Sprintf("no gate newly met and no new measurement since %s (momentumWindow %s)",
				in.LastProgress.UTC().Format(time.RFC3339), in.Window))
		}
	}
	if in.Final && len(declining) > 0 {
		reasons = append(reasons, v1alpha1.ReasonComplacency)
		blockers = append(blockers, fmt.Sprintf("complacency: in the last stage, %s declining: %s",
			text.Plural(len(declining), "indicator"), strings.Join(declining, ", ")))
	}
	if len(reasons) == 0 {
		return Risk{Reason: v1alpha1.ReasonOnTrack, Message: "no indicator is off target or stale and the stage is within its target duration", RecheckAt: recheck}
	}
	return Risk{AtRisk: true, Reason: reasons[0], Message: strings.Join(blockers, "; "), RecheckAt: recheck}
}
