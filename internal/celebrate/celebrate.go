// Package celebrate decides which quick wins to celebrate: a completed stage,
// or an indicator reaching its target. Each win has a deterministic key, so
// the one-off Job that posts it has a deterministic name and is created at
// most once, whatever retries and restarts happen. Everything here is pure.
package celebrate

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/bound"
	"github.com/momentum-dev/momentum/internal/health"
)

// Indicator is what the decision needs of a LeadingIndicator.
type Indicator struct {
	Name   string
	Health v1alpha1.Health
	Value  *v1alpha1.Decimal
	Target v1alpha1.Target
	// Cooldown is how long it must stay off target before reaching the
	// target again is a new win: its measurement interval.
	Cooldown time.Duration
}

// Win is one quick win to post.
type Win struct {
	// Key is unique per win and stable: "stage-<name>" or "target-<indicator>-<n>".
	Key string
	// Title and Text are the message.
	Title, Text string
}

// Decide returns the wins to post and the celebration status to record once
// they are posted. With no status yet, the current state is recorded without
// celebrating: only what happens after celebrations are configured is a win.
func Decide(initiative string, prev *v1alpha1.CelebrationStatus, history []v1alpha1.StageRecord, inds []Indicator, now time.Time) ([]Win, *v1alpha1.CelebrationStatus) {
	first := prev == nil
	next := &v1alpha1.CelebrationStatus{}
	if prev != nil {
		next = prev.DeepCopy()
	}
	var wins []Win
	for _, h := range recentlyCompleted(history) {
		if slices.Contains(next.Stages, h.Name) {
			continue
		}
		next.Stages = append(bound.Newest(next.Stages, MaxStages-1), h.Name)
		if !first {
			wins = append(wins, Win{
				Key:   "stage-" + h.Name,
				Title: fmt.Sprintf("%s completed stage %s", initiative, h.Name),
				Text:  fmt.Sprintf("Quick win: %s completed stage %s! %s", initiative, h.Name, h.Reason),
			})
		}
	}
	// Forget indicators that no longer exist, so the record stays bounded.
	next.Indicators = slices.DeleteFunc(next.Indicators, func(c v1alpha1.IndicatorCelebration) bool {
		return !slices.ContainsFunc(inds, func(i Indicator) bool { return i.Name == c.Indicator })
	})
	at := metav1.NewTime(now.UTC().Truncate(time.Second))
	for _, ind := range inds {
		i := slices.IndexFunc(next.Indicators, func(c v1alpha1.IndicatorCelebration) bool { return c.Indicator == ind.Name })
		switch ind.Health {
		case v1alpha1.HealthOnTarget:
			switch {
			case i < 0 && len(next.Indicators) >= MaxIndicators:
				// The record is full: never drop what was celebrated (that
				// would celebrate it again); this indicator is not tracked.
			case i < 0 && first:
				next.Indicators = append(next.Indicators, v1alpha1.IndicatorCelebration{Indicator: ind.Name})
			case i < 0:
				next.Indicators = append(next.Indicators, v1alpha1.IndicatorCelebration{Indicator: ind.Name, Count: 1})
				wins = append(wins, reached(initiative, ind, 1))
			default:
				c := &next.Indicators[i]
				if c.OffTargetSince != nil && !now.Before(c.OffTargetSince.Add(ind.Cooldown)) {
					c.Count++
					wins = append(wins, reached(initiative, ind, c.Count))
				}
				c.OffTargetSince = nil // back on target; a short dip is no new win
			}
		case v1alpha1.HealthAtRisk, v1alpha1.HealthOffTarget:
			if i >= 0 && next.Indicators[i].OffTargetSince == nil {
				next.Indicators[i].OffTargetSince = &at
			}
		}
		// Unknown (no or stale data) says nothing about the target.
	}
	return wins, next
}

// Bounds of status.celebrations (its CRD MaxItems).
const (
	// MaxStages is how many completed stages the record remembers: the
	// newest, and only the newest that many completions can be celebrated.
	MaxStages = 10
	// MaxIndicators is how many indicators the record tracks; an indicator
	// beyond them (in the order they are listed) is not celebrated.
	MaxIndicators = 100
)

// recentlyCompleted returns the newest MaxStages closed history records:
// the only completions the bounded record can tell apart.
func recentlyCompleted(history []v1alpha1.StageRecord) []v1alpha1.StageRecord {
	var closed []v1alpha1.StageRecord
	for _, h := range history {
		if h.ExitedAt != nil {
			closed = append(closed, h)
		}
	}
	return bound.Newest(closed, MaxStages)
}

func reached(initiative string, ind Indicator, n int32) Win {
	msg := fmt.Sprintf("Quick win for %s: %s reached its target", initiative, ind.Name)
	if ind.Value != nil {
		msg = fmt.Sprintf("Quick win for %s: %s", initiative, health.Describe(ind.Name, v1alpha1.HealthOnTarget, v1alpha1.Fresh, ind.Value, ind.Target))
	}
	return Win{Key: "target-" + ind.Name + "-" + strconv.Itoa(int(n)), Title: ind.Name + " reached its target", Text: msg}
}
