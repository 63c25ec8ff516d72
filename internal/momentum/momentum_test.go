package momentum

import (
	"strings"
	"testing"
	"time"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestAssess(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	ok := Indicator{Name: "awareness", Health: v1alpha1.HealthOnTarget, Freshness: v1alpha1.Fresh}
	off := Indicator{Name: "nps", Health: v1alpha1.HealthOffTarget, Freshness: v1alpha1.Fresh}
	stale := Indicator{Name: "belief", Health: v1alpha1.HealthUnknown, Freshness: v1alpha1.Stale}
	tests := map[string]struct {
		in        Input
		atRisk    bool
		reason    string
		contains  []string
		recheckAt time.Time
	}{
		"on track, overdue time known": {
			in:     Input{Indicators: []Indicator{ok}, Stage: "Initiation", EnteredAt: t0, TargetDuration: 48 * time.Hour, Now: t0.Add(time.Hour)},
			reason: v1alpha1.ReasonOnTrack, recheckAt: t0.Add(48 * time.Hour),
		},
		"no target duration never goes overdue": {
			in:     Input{Stage: "Initiation", EnteredAt: t0, Now: t0.Add(100000 * time.Hour)},
			reason: v1alpha1.ReasonOnTrack,
		},
		"an off-target indicator": {
			in:     Input{Indicators: []Indicator{ok, off}, Now: t0},
			atRisk: true, reason: v1alpha1.ReasonIndicatorOffTarget, contains: []string{"1 indicator off target: nps"},
		},
		"a stale indicator": {
			in:     Input{Indicators: []Indicator{stale}, Now: t0},
			atRisk: true, reason: v1alpha1.ReasonIndicatorStale, contains: []string{"belief"},
		},
		"overdue stage": {
			in:     Input{Stage: "Initiation", EnteredAt: t0, TargetDuration: 48 * time.Hour, Now: t0.Add(60 * time.Hour)},
			atRisk: true, reason: v1alpha1.ReasonStageOverdue, contains: []string{"stage Initiation is past its targetDuration 48h0m0s since 2026-11-03T00:00:00Z"},
		},
		"everything at once: most severe reason, every blocker listed in order": {
			in:     Input{Indicators: []Indicator{stale, off}, Stage: "Initiation", EnteredAt: t0, TargetDuration: time.Hour, Now: t0.Add(2 * time.Hour)},
			atRisk: true, reason: v1alpha1.ReasonIndicatorOffTarget, contains: []string{"off target: nps; 1 indicator stale: belief", "; stage Initiation"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := Assess(tc.in)
			if got.AtRisk != tc.atRisk || got.Reason != tc.reason {
				t.Errorf("Assess = %v/%s, want %v/%s", got.AtRisk, got.Reason, tc.atRisk, tc.reason)
			}
			for _, c := range tc.contains {
				if !strings.Contains(got.Message, c) {
					t.Errorf("message %q does not contain %q", got.Message, c)
				}
			}
			if !got.RecheckAt.Equal(tc.recheckAt) {
				t.Errorf("recheck at %v, want %v", got.RecheckAt, tc.recheckAt)
			}
		})
	}
}
