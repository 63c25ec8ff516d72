package stages

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func history(values ...string) []v1alpha1.Measurement {
	out := make([]v1alpha1.Measurement, len(values))
	for i, v := range values {
		out[i] = v1alpha1.Measurement{At: metav1.NewTime(t0.Add(time.Duration(i) * 24 * time.Hour)), Value: v1alpha1.Decimal(v)}
	}
	return out
}

func TestTrendAndImprovementGates(t *testing.T) {
	dec := func(s string) *v1alpha1.Decimal { d := v1alpha1.Decimal(s); return &d }
	gated := func(c v1alpha1.IndicatorCriterion) v1alpha1.InitiativeSpec {
		c.Name = "nps"
		return v1alpha1.InitiativeSpec{Stages: []v1alpha1.Stage{
			{Name: "Embedding", ExitCriteria: &v1alpha1.ExitCriteria{Indicators: []v1alpha1.IndicatorCriterion{c}}},
			{Name: "Reinforcement"},
		}}
	}
	nps := func(h v1alpha1.Health, values ...string) map[string]Indicator {
		v := v1alpha1.Decimal(values[len(values)-1])
		return map[string]Indicator{"nps": {Health: h, Freshness: v1alpha1.Fresh, Value: &v, Target: v1alpha1.Target{Value: "30"}, History: history(values...)}}
	}
	keeping := func(limit int, inds map[string]Indicator) map[string]Indicator {
		ind := inds["nps"]
		ind.HistoryLimit = limit
		return map[string]Indicator{"nps": ind}
	}
	withBaseline := func(b string) v1alpha1.InitiativeStatus {
		st := inStage("Embedding", t0)
		st.History[0].Baselines = []v1alpha1.Baseline{{Indicator: "nps", Value: v1alpha1.Decimal(b)}}
		return st
	}
	tests := map[string]struct {
		criterion v1alpha1.IndicatorCriterion
		status    v1alpha1.InitiativeStatus
		inds      map[string]Indicator
		met       bool
		message   string
	}{
		"improving over 3 samples": {
			criterion: v1alpha1.IndicatorCriterion{Health: v1alpha1.RequireOnTarget, Trend: v1alpha1.RequireImproving, TrendSamples: ptr.To[int32](3)},
			status:    inStage("Embedding", t0), inds: nps(v1alpha1.HealthOnTarget, "20", "25", "31"),
			met: true, message: "trend Improving over 3 measurements",
		},
		"steady is not improving": {
			criterion: v1alpha1.IndicatorCriterion{Health: v1alpha1.RequireOnTarget, Trend: v1alpha1.RequireImproving, TrendSamples: ptr.To[int32](3)},
			status:    inStage("Embedding", t0), inds: nps(v1alpha1.HealthOnTarget, "31", "31", "31"),
			message: "trend Steady over 3 measurements; needs Improving",
		},
		"steady is not declining": {
			criterion: v1alpha1.IndicatorCriterion{Health: v1alpha1.RequireOnTarget, Trend: v1alpha1.RequireNotDeclining, TrendSamples: ptr.To[int32](3)},
			status:    inStage("Embedding", t0), inds: nps(v1alpha1.HealthOnTarget, "31", "31", "31"),
			met: true,
		},
		"by default, the TREND column's window": {
			criterion: v1alpha1.IndicatorCriterion{Health: v1alpha1.RequireOnTarget, Trend: v1alpha1.RequireImproving},
			status:    inStage("Embedding", t0), inds: nps(v1alpha1.HealthOnTarget, "20", "25", "31"),
			message: "trend needs 4 measurements, has 3",
		},
		"the default is capped at a shorter historyLimit": {
			criterion: v1alpha1.IndicatorCriterion{Health: v1alpha1.RequireOnTarget, Trend: v1alpha1.RequireImproving},
			status:    inStage("Embedding", t0), inds: keeping(3, nps(v1alpha1.HealthOnTarget, "20", "25", "31")),
			met: true, message: "trend Improving over 3 measurements",
		},
		"more than historyLimit keeps: never met, says what to change": {
			criterion: v1alpha1.IndicatorCriterion{Name: "nps", Health: v1alpha1.RequireOnTarget, Trend: v1alpha1.RequireImproving, TrendSamples: ptr.To[int32](5)},
			status:    inStage("Embedding", t0), inds: keeping(3, nps(v1alpha1.HealthOnTarget, "20", "25", "31")),
			message: "trendSamples 5 can never be met: LeadingIndicator nps keeps only 3 measurements (spec.historyLimit); lower trendSamples to at most 3 or raise historyLimit",
		},
		"too few samples for the trend": {
			criterion: v1alpha1.IndicatorCriterion{Health: v1alpha1.RequireOnTarget, Trend: v1alpha1.RequireImproving, TrendSamples: ptr.To[int32](5)},
			status:    inStage("Embedding", t0), inds: nps(v1alpha1.HealthOnTarget, "20", "25", "31"),
			message: "trend needs 5 measurements, has 3",
		},
		"+10% met against the recorded baseline": {
			criterion: v1alpha1.IndicatorCriterion{Health: v1alpha1.RequireNotOffTarget, Improvement: &v1alpha1.Improvement{Percent: dec("10")}},
			status:    withBaseline("30"), inds: nps(v1alpha1.HealthOnTarget, "30", "33"),
			met: true, message: "+3 since the stage began (baseline 30)",
		},
		"+10% not yet": {
			criterion: v1alpha1.IndicatorCriterion{Health: v1alpha1.RequireNotOffTarget, Improvement: &v1alpha1.Improvement{Percent: dec("10")}},
			status:    withBaseline("30"), inds: nps(v1alpha1.HealthOnTarget, "30", "32.5"),
			message: "+2.5 since the stage began (baseline 30); needs +10%",
		},
		"+5 points": {
			criterion: v1alpha1.IndicatorCriterion{Health: v1alpha1.RequireNotOffTarget, Improvement: &v1alpha1.Improvement{Points: dec("5")}},
			status:    withBaseline("30"), inds: nps(v1alpha1.HealthOnTarget, "35"),
			met: true,
		},
		"the baseline is recorded on first sight and the gate waits": {
			criterion: v1alpha1.IndicatorCriterion{Health: v1alpha1.RequireNotOffTarget, Improvement: &v1alpha1.Improvement{Points: dec("5")}},
			status:    inStage("Embedding", t0), inds: nps(v1alpha1.HealthOnTarget, "35"),
			message: "+0 since the stage began (baseline 35); needs +5 points",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			out := Decide(Input{Spec: gated(tc.criterion), Status: tc.status, Indicators: tc.inds, Now: t0.Add(time.Hour)})
			g := out.Gates
			if tc.met {
				if out.Stage != "Reinforcement" {
					t.Fatalf("stage = %s (gates %+v), want the gate met and the stage advanced", out.Stage, g)
				}
				if !strings.Contains(out.History[0].Reason, tc.message) {
					t.Errorf("exit reason %q does not contain %q", out.History[0].Reason, tc.message)
				}
				return
			}
			if len(g) != 1 || g[0].Met {
				t.Fatalf("gates = %+v, want one unmet", g)
			}
			if !strings.Contains(g[0].Message, tc.message) {
				t.Errorf("message %q does not contain %q", g[0].Message, tc.message)
			}
			if tc.criterion.Improvement != nil && len(out.History[0].Baselines) != 1 {
				t.Errorf("baselines = %+v, want the indicator's recorded", out.History[0].Baselines)
			}
		})
	}
}

func TestTrendWindow(t *testing.T) {
	tests := map[string]struct {
		samples       *int32 // trendSamples; nil as if the API server had not defaulted it
		historyLimit  int
		n             int
		unsatisfiable bool
	}{
		"the default": {historyLimit: 24, n: v1alpha1.DefaultTrendSamples},
		"the default as the API server writes it":  {samples: ptr.To[int32](v1alpha1.DefaultTrendSamples), historyLimit: 3, n: 3},
		"the default, capped":                      {historyLimit: 2, n: 2},
		"explicit, within":                         {samples: ptr.To[int32](3), historyLimit: 3, n: 3},
		"explicit, above historyLimit":             {samples: ptr.To[int32](5), historyLimit: 3, n: 5, unsatisfiable: true},
		"historyLimit unknown: trendSamples as is": {samples: ptr.To[int32](5), n: 5},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			n, why := TrendWindow(v1alpha1.IndicatorCriterion{Name: "nps", TrendSamples: tc.samples}, tc.historyLimit)
			if n != tc.n || (why != "") != tc.unsatisfiable {
				t.Errorf("trendWindow = %d, %q; want %d, unsatisfiable %v", n, why, tc.n, tc.unsatisfiable)
			}
		})
	}
}
