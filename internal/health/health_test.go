package health

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

var t0 = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)

func dec(s string) *v1alpha1.Decimal { d := v1alpha1.Decimal(s); return &d }

func series(values ...string) []v1alpha1.Measurement {
	out := make([]v1alpha1.Measurement, len(values))
	for i, v := range values {
		out[i] = v1alpha1.Measurement{At: metav1.NewTime(t0.Add(time.Duration(i) * 24 * time.Hour)), Value: v1alpha1.Decimal(v)}
	}
	return out
}

func TestJudge(t *testing.T) {
	tests := map[string]struct {
		value  string
		target v1alpha1.Target
		want   v1alpha1.Health
	}{
		"at least, exactly on target":     {"75", v1alpha1.Target{Value: "75", Direction: v1alpha1.AtLeast}, v1alpha1.HealthOnTarget},
		"at least, above":                 {"80", v1alpha1.Target{Value: "75"}, v1alpha1.HealthOnTarget},
		"at least, no margin means off":   {"74.9", v1alpha1.Target{Value: "75"}, v1alpha1.HealthOffTarget},
		"at least, within margin":         {"66", v1alpha1.Target{Value: "75", AtRiskMargin: dec("10")}, v1alpha1.HealthAtRisk},
		"at least, on the margin edge":    {"65", v1alpha1.Target{Value: "75", AtRiskMargin: dec("10")}, v1alpha1.HealthAtRisk},
		"at least, beyond margin":         {"64.99", v1alpha1.Target{Value: "75", AtRiskMargin: dec("10")}, v1alpha1.HealthOffTarget},
		"decimals compare exactly":        {"4.3", v1alpha1.Target{Value: "4.30"}, v1alpha1.HealthOnTarget},
		"0.1+0.2 style values are exact":  {"0.3", v1alpha1.Target{Value: "0.3", Direction: v1alpha1.AtMost}, v1alpha1.HealthOnTarget},
		"at most, below":                  {"3", v1alpha1.Target{Value: "5", Direction: v1alpha1.AtMost}, v1alpha1.HealthOnTarget},
		"at most, within margin":          {"6", v1alpha1.Target{Value: "5", Direction: v1alpha1.AtMost, AtRiskMargin: dec("2")}, v1alpha1.HealthAtRisk},
		"at most, beyond margin":          {"8", v1alpha1.Target{Value: "5", Direction: v1alpha1.AtMost, AtRiskMargin: dec("2")}, v1alpha1.HealthOffTarget},
		"negative numbers (NPS) at least": {"-5", v1alpha1.Target{Value: "0", AtRiskMargin: dec("10")}, v1alpha1.HealthAtRisk},
		"negative numbers (NPS) off":      {"-15", v1alpha1.Target{Value: "0", AtRiskMargin: dec("10")}, v1alpha1.HealthOffTarget},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Judge(v1alpha1.Decimal(tc.value), tc.target); got != tc.want {
				t.Errorf("Judge(%s) = %s, want %s", tc.value, got, tc.want)
			}
		})
	}
}

func TestTrendOf(t *testing.T) {
	atLeast := v1alpha1.Target{Value: "75", Direction: v1alpha1.AtLeast}
	atMost := v1alpha1.Target{Value: "5", Direction: v1alpha1.AtMost}
	tests := map[string]struct {
		history []v1alpha1.Measurement
		target  v1alpha1.Target
		want    v1alpha1.Trend
	}{
		"no data":                          {nil, atLeast, v1alpha1.TrendUnknown},
		"one sample":                       {series("60"), atLeast, v1alpha1.TrendUnknown},
		"rising toward an at-least target": {series("58", "66"), atLeast, v1alpha1.TrendImproving},
		"falling from an at-least target":  {series("70", "66", "61"), atLeast, v1alpha1.TrendDeclining},
		"flat":                             {series("66", "66", "66"), atLeast, v1alpha1.TrendSteady},
		"noise under 1% of target":         {series("66", "66.5", "66.2"), atLeast, v1alpha1.TrendSteady},
		"falling toward an at-most target": {series("9", "7", "6"), atMost, v1alpha1.TrendImproving},
		"rising away from at-most target":  {series("4", "6"), atMost, v1alpha1.TrendDeclining},
		"only the newest window counts":    {series("10", "20", "30", "60", "60", "60", "60"), atLeast, v1alpha1.TrendSteady},
		"dip then recovery is improving":   {series("60", "50", "65", "70"), atLeast, v1alpha1.TrendImproving},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := TrendOf(tc.history, tc.target); got != tc.want {
				t.Errorf("TrendOf = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestEvaluateFreshness(t *testing.T) {
	target := v1alpha1.Target{Value: "75"}
	h := series("80") // measured at t0
	tests := map[string]struct {
		freshness   time.Duration
		now         time.Time
		wantHealth  v1alpha1.Health
		wantFresh   v1alpha1.Freshness
		wantStaleAt time.Time
	}{
		"no freshness set never goes stale": {0, t0.Add(10000 * time.Hour), v1alpha1.HealthOnTarget, v1alpha1.Fresh, time.Time{}},
		"fresh, stale time known":           {48 * time.Hour, t0.Add(time.Hour), v1alpha1.HealthOnTarget, v1alpha1.Fresh, t0.Add(48 * time.Hour)},
		"exactly at the limit is stale":     {48 * time.Hour, t0.Add(48 * time.Hour), v1alpha1.HealthUnknown, v1alpha1.Stale, time.Time{}},
		"past the limit is stale":           {48 * time.Hour, t0.Add(100 * time.Hour), v1alpha1.HealthUnknown, v1alpha1.Stale, time.Time{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := Evaluate(target, tc.freshness, h, tc.now)
			if got.Health != tc.wantHealth || got.Freshness != tc.wantFresh || !got.StaleAt.Equal(tc.wantStaleAt) {
				t.Errorf("Evaluate = %s/%s stale at %v, want %s/%s stale at %v", got.Health, got.Freshness, got.StaleAt, tc.wantHealth, tc.wantFresh, tc.wantStaleAt)
			}
		})
	}
	if got := Evaluate(target, time.Hour, nil, t0); got.Freshness != v1alpha1.NoData || got.Health != v1alpha1.HealthUnknown || got.Latest != nil {
		t.Errorf("Evaluate(no data) = %+v, want NoData/Unknown", got)
	}
}

func TestMergeHistory(t *testing.T) {
	at := func(d int) metav1.Time { return metav1.NewTime(t0.Add(time.Duration(d) * 24 * time.Hour)) }
	recorded := []v1alpha1.Measurement{{At: at(0), Value: "50"}, {At: at(1), Value: "55"}}
	samples := []v1alpha1.Sample{{At: at(1), Value: "56"}, {At: at(3), Value: "70"}, {At: at(2), Value: "60"}}

	got := MergeHistory(recorded, samples, 0)
	want := []string{"50", "56", "60", "70"}
	if len(got) != len(want) {
		t.Fatalf("MergeHistory kept %d measurements, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if string(got[i].Value) != want[i] {
			t.Errorf("history[%d] = %s, want %s (sorted, sample wins at equal time, removed samples kept)", i, got[i].Value, want[i])
		}
	}
	if bounded := MergeHistory(recorded, samples, 2); len(bounded) != 2 || bounded[0].Value != "60" || bounded[1].Value != "70" {
		t.Errorf("MergeHistory(limit 2) = %+v, want the newest two", bounded)
	}
}

func TestDescribe(t *testing.T) {
	target := v1alpha1.Target{Value: "75", Direction: v1alpha1.AtLeast}
	tests := map[string]struct {
		health v1alpha1.Health
		fresh  v1alpha1.Freshness
		value  *v1alpha1.Decimal
		want   string
	}{
		"at risk": {v1alpha1.HealthAtRisk, v1alpha1.Fresh, dec("61"), "employee-awareness is AtRisk: 61 < target 75"},
		"on":      {v1alpha1.HealthOnTarget, v1alpha1.Fresh, dec("75"), "employee-awareness is OnTarget: 75 = target 75"},
		"above":   {v1alpha1.HealthOnTarget, v1alpha1.Fresh, dec("80.5"), "employee-awareness is OnTarget: 80.5 > target 75"},
		"no data": {v1alpha1.HealthUnknown, v1alpha1.NoData, nil, "employee-awareness has no measurement yet"},
		"stale":   {v1alpha1.HealthUnknown, v1alpha1.Stale, dec("80"), "employee-awareness is stale: its newest measurement (80) is older than spec.freshness"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Describe("employee-awareness", tc.health, tc.fresh, tc.value, target); got != tc.want {
				t.Errorf("Describe = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestGain(t *testing.T) {
	cases := map[string]struct {
		direction v1alpha1.Direction
		from, to  string
		want      string
	}{
		"AtLeast: a rise is a gain": {direction: v1alpha1.AtLeast, from: "30", to: "33", want: "3"},
		"AtLeast: a fall is a loss": {direction: v1alpha1.AtLeast, from: "33", to: "30", want: "-3"},
		"AtMost: a fall is a gain":  {direction: v1alpha1.AtMost, from: "33", to: "30", want: "3"},
		"no direction is AtLeast":   {from: "1", to: "1.5", want: "1/2"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Gain(tc.direction, v1alpha1.Decimal(tc.from).Rat(), v1alpha1.Decimal(tc.to).Rat())
			NewWithT(t).Expect(got.RatString()).To(Equal(tc.want))
		})
	}
}
