package momentum

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func ind(name string, cat v1alpha1.IndicatorCategory, h v1alpha1.Health, value, target string) v1alpha1.LeadingIndicator {
	i := v1alpha1.LeadingIndicator{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:       v1alpha1.LeadingIndicatorSpec{Category: cat, Target: v1alpha1.Target{Value: v1alpha1.Decimal(target)}},
		Status:     v1alpha1.LeadingIndicatorStatus{Health: h},
	}
	if value != "" {
		v := v1alpha1.Decimal(value)
		i.Status.Value = &v
	}
	return i
}

func TestFunnel(t *testing.T) {
	aware := ind("awareness", v1alpha1.CategoryAwareness, v1alpha1.HealthOnTarget, "80", "75")
	understand := ind("understanding", v1alpha1.CategoryUnderstanding, v1alpha1.HealthAtRisk, "62", "70")
	belief := ind("belief", v1alpha1.CategoryEmployeeBelief, v1alpha1.HealthOffTarget, "48", "70")
	action := ind("adoption", v1alpha1.CategoryBehaviorAdoption, v1alpha1.HealthOffTarget, "60", "90")
	tests := map[string]struct {
		inds    []v1alpha1.LeadingIndicator
		weakest string
		healths string
	}{
		"no funnel indicators":           {[]v1alpha1.LeadingIndicator{ind("csat", v1alpha1.CategoryCustomerSatisfaction, v1alpha1.HealthOffTarget, "3", "4")}, "", ""},
		"the issue's example":            {[]v1alpha1.LeadingIndicator{aware, understand, belief}, "belief is the weakest link: 48 < target 70", "OnTarget,AtRisk,OffTarget,Unknown"},
		"larger shortfall wins a tie":    {[]v1alpha1.LeadingIndicator{aware, belief, action}, "action is the weakest link: 60 < target 90", "OnTarget,Unknown,OffTarget,OffTarget"},
		"all on target":                  {[]v1alpha1.LeadingIndicator{aware}, "every funnel level is on target", "OnTarget,Unknown,Unknown,Unknown"},
		"the worst indicator of a level": {[]v1alpha1.LeadingIndicator{aware, ind("awareness-2", v1alpha1.CategoryAwareness, v1alpha1.HealthAtRisk, "70", "75")}, "awareness is the weakest link: 70 < target 75", "AtRisk,Unknown,Unknown,Unknown"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f := Funnel(tc.inds)
			if tc.weakest == "" {
				if f != nil {
					t.Fatalf("Funnel = %+v, want none", f)
				}
				return
			}
			if f.WeakestLink != tc.weakest {
				t.Errorf("weakest link = %q, want %q", f.WeakestLink, tc.weakest)
			}
			var hs []string
			for _, l := range f.Levels {
				hs = append(hs, string(l.Health))
			}
			if got := strings.Join(hs, ","); got != tc.healths {
				t.Errorf("levels = %s, want %s", got, tc.healths)
			}
		})
	}
}

func TestAssessNoProgressAndComplacency(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	declining := Indicator{Name: "nps", Health: v1alpha1.HealthOnTarget, Freshness: v1alpha1.Fresh, Trend: v1alpha1.TrendDeclining}
	tests := map[string]struct {
		in       Input
		reason   string
		contains string
		recheck  time.Time
	}{
		"quiet within the window: recheck when it ends": {
			in:     Input{LastProgress: t0, Window: 72 * time.Hour, Now: t0.Add(time.Hour)},
			reason: v1alpha1.ReasonOnTrack, recheck: t0.Add(72 * time.Hour),
		},
		"quiet past the window": {
			in:     Input{LastProgress: t0, Window: 72 * time.Hour, Now: t0.Add(73 * time.Hour)},
			reason: v1alpha1.ReasonNoProgress, contains: "no gate newly met and no new measurement since 2026-11-01T00:00:00Z (momentumWindow 72h0m0s)",
		},
		"no window, no limit": {
			in:     Input{LastProgress: t0, Now: t0.Add(10000 * time.Hour)},
			reason: v1alpha1.ReasonOnTrack,
		},
		"declining in the last stage is complacency": {
			in:     Input{Indicators: []Indicator{declining}, Final: true, Now: t0},
			reason: v1alpha1.ReasonComplacency, contains: "complacency: in the last stage, 1 indicator declining: nps",
		},
		"declining before the last stage is not": {
			in:     Input{Indicators: []Indicator{declining}, Now: t0},
			reason: v1alpha1.ReasonOnTrack,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := Assess(tc.in)
			if got.Reason != tc.reason || !strings.Contains(got.Message, tc.contains) || !got.RecheckAt.Equal(tc.recheck) {
				t.Errorf("Assess = %s %q recheck %v; want %s containing %q recheck %v", got.Reason, got.Message, got.RecheckAt, tc.reason, tc.contains, tc.recheck)
			}
		})
	}
}
