package celebrate

import (
	"fmt"
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// TestRecordStaysWithinItsSchema writes past each bound of
// status.celebrations: an over-long list would make the API server reject
// every later status write of the initiative.
func TestRecordStaysWithinItsSchema(t *testing.T) {
	exited := metav1.NewTime(t0)
	manyStages := func(n int) []v1alpha1.StageRecord {
		var h []v1alpha1.StageRecord
		for i := range n {
			h = append(h, v1alpha1.StageRecord{Name: fmt.Sprintf("s%d", i), ExitedAt: &exited})
		}
		return append(h, v1alpha1.StageRecord{Name: "current"})
	}
	onTarget := func(n int) []Indicator {
		var out []Indicator
		for i := range n {
			ind := nps(v1alpha1.HealthOnTarget)
			ind.Name = fmt.Sprintf("ind-%03d", i)
			out = append(out, ind)
		}
		return out
	}
	cases := map[string]struct {
		// prev is the record before; history and inds the world now.
		prev    *v1alpha1.CelebrationStatus
		history []v1alpha1.StageRecord
		inds    []Indicator
		// wantWins is how many wins are posted; wantStages/wantIndicators the record's sizes.
		wantWins, wantStages, wantIndicators int
	}{
		"101 indicators reach their target at once": {
			prev: &v1alpha1.CelebrationStatus{}, inds: onTarget(101), wantWins: 100, wantIndicators: 100,
		},
		"a full record celebrates nothing new and drops nothing": {
			prev: func() *v1alpha1.CelebrationStatus {
				_, full := Decide("i", &v1alpha1.CelebrationStatus{}, nil, onTarget(100), t0)
				return full
			}(), inds: onTarget(150), wantWins: 0, wantIndicators: 100,
		},
		"more completed stages than the record holds": {
			prev: &v1alpha1.CelebrationStatus{}, history: manyStages(30), wantWins: MaxStages, wantStages: MaxStages,
		},
		"old completions beyond the record are not celebrated again": {
			prev: func() *v1alpha1.CelebrationStatus {
				_, r := Decide("i", &v1alpha1.CelebrationStatus{}, manyStages(30), nil, t0)
				return r
			}(), history: manyStages(30), wantWins: 0, wantStages: MaxStages,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			wins, next := Decide("i", tc.prev, tc.history, tc.inds, t0)
			g.Expect(wins).To(HaveLen(tc.wantWins))
			g.Expect(next.Stages).To(HaveLen(tc.wantStages))
			g.Expect(next.Indicators).To(HaveLen(tc.wantIndicators))
		})
	}
}
