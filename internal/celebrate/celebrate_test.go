package celebrate

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

var t0 = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

func nps(h v1alpha1.Health) Indicator {
	v := v1alpha1.Decimal("72")
	return Indicator{Name: "nps", Health: h, Value: &v, Target: v1alpha1.Target{Value: "70"}, Cooldown: time.Hour}
}

func keys(ws []Win) string {
	var ks []string
	for _, w := range ws {
		ks = append(ks, w.Key)
	}
	return strings.Join(ks, ",")
}

func TestDecide(t *testing.T) {
	exited := metav1.NewTime(t0)
	passed := []v1alpha1.StageRecord{{Name: "Initiation", ExitedAt: &exited, Reason: "exit criteria met: approved"}, {Name: "Implementation"}}
	since := func(d time.Duration) *metav1.Time { m := metav1.NewTime(t0.Add(-d)); return &m }
	tests := map[string]struct {
		prev    *v1alpha1.CelebrationStatus
		history []v1alpha1.StageRecord
		inds    []Indicator
		wins    string
		count   int32
	}{
		"first look records the present without celebrating": {
			prev: nil, history: passed, inds: []Indicator{nps(v1alpha1.HealthOnTarget)}, wins: "", count: 0,
		},
		"a stage completed after configuration": {
			prev: &v1alpha1.CelebrationStatus{}, history: passed, wins: "stage-Initiation",
		},
		"a stage is celebrated once": {
			prev: &v1alpha1.CelebrationStatus{Stages: []string{"Initiation"}}, history: passed, wins: "",
		},
		"first time on target": {
			prev: &v1alpha1.CelebrationStatus{}, inds: []Indicator{nps(v1alpha1.HealthOnTarget)}, wins: "target-nps-1", count: 1,
		},
		"still on target: nothing new": {
			prev: &v1alpha1.CelebrationStatus{Indicators: []v1alpha1.IndicatorCelebration{{Indicator: "nps", Count: 1}}},
			inds: []Indicator{nps(v1alpha1.HealthOnTarget)}, wins: "", count: 1,
		},
		"back after a short dip: no spam": {
			prev: &v1alpha1.CelebrationStatus{Indicators: []v1alpha1.IndicatorCelebration{{Indicator: "nps", Count: 1, OffTargetSince: since(59 * time.Minute)}}},
			inds: []Indicator{nps(v1alpha1.HealthOnTarget)}, wins: "", count: 1,
		},
		"back after a full interval off target: celebrated again": {
			prev: &v1alpha1.CelebrationStatus{Indicators: []v1alpha1.IndicatorCelebration{{Indicator: "nps", Count: 1, OffTargetSince: since(time.Hour)}}},
			inds: []Indicator{nps(v1alpha1.HealthOnTarget)}, wins: "target-nps-2", count: 2,
		},
		"unknown data changes nothing": {
			prev: &v1alpha1.CelebrationStatus{Indicators: []v1alpha1.IndicatorCelebration{{Indicator: "nps", Count: 1}}},
			inds: []Indicator{nps(v1alpha1.HealthUnknown)}, wins: "", count: 1,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			wins, next := Decide("customer-first", tc.prev, tc.history, tc.inds, t0)
			if got := keys(wins); got != tc.wins {
				t.Errorf("wins = %q, want %q", got, tc.wins)
			}
			if len(tc.inds) > 0 && (len(next.Indicators) != 1 || next.Indicators[0].Count != tc.count) {
				t.Errorf("indicators = %+v, want count %d", next.Indicators, tc.count)
			}
			if tc.history != nil && (len(next.Stages) != 1 || next.Stages[0] != "Initiation") {
				t.Errorf("stages = %v, want Initiation recorded", next.Stages)
			}
		})
	}
}

// Off target is remembered from the first time it was seen, so the cooldown
// counts from then, not from the latest look.
func TestOffTargetSinceIsTheFirstSighting(t *testing.T) {
	prev := &v1alpha1.CelebrationStatus{Indicators: []v1alpha1.IndicatorCelebration{{Indicator: "nps", Count: 1}}}
	_, s1 := Decide("x", prev, nil, []Indicator{nps(v1alpha1.HealthOffTarget)}, t0)
	_, s2 := Decide("x", s1, nil, []Indicator{nps(v1alpha1.HealthAtRisk)}, t0.Add(30*time.Minute))
	if !s2.Indicators[0].OffTargetSince.Time.Equal(t0) {
		t.Fatalf("offTargetSince = %v, want the first sighting %v", s2.Indicators[0].OffTargetSince, t0)
	}
	wins, _ := Decide("x", s2, nil, []Indicator{nps(v1alpha1.HealthOnTarget)}, t0.Add(time.Hour))
	if keys(wins) != "target-nps-2" {
		t.Errorf("wins = %q, want the second celebration", keys(wins))
	}
	if !strings.Contains(wins[0].Text, "nps is OnTarget: 72 > target 70") {
		t.Errorf("text = %q", wins[0].Text)
	}
}

func TestDeletedIndicatorsAreForgotten(t *testing.T) {
	prev := &v1alpha1.CelebrationStatus{Indicators: []v1alpha1.IndicatorCelebration{{Indicator: "gone", Count: 2}, {Indicator: "nps", Count: 1}}}
	_, next := Decide("x", prev, nil, []Indicator{nps(v1alpha1.HealthOnTarget)}, t0)
	if len(next.Indicators) != 1 || next.Indicators[0].Indicator != "nps" {
		t.Errorf("indicators = %+v, want only nps", next.Indicators)
	}
	if len(prev.Indicators) != 2 {
		t.Error("Decide changed its input")
	}
}
