package stages

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestFreezeHoldsAdvancement(t *testing.T) {
	now := time.Date(2026, 12, 22, 10, 0, 0, 0, time.UTC)
	spec := v1alpha1.InitiativeSpec{Stages: []v1alpha1.Stage{
		{Name: "Initiation", ExitCriteria: &v1alpha1.ExitCriteria{Actions: []v1alpha1.Action{{Name: "publish-why", Done: true}}}},
		{Name: "Reinforcement"},
	}}
	status := v1alpha1.InitiativeStatus{Stage: "Initiation", History: []v1alpha1.StageRecord{{Name: "Initiation"}}}
	until := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		freeze    *Freeze   // the freeze in force
		wantStage string    // the stage after the decision
		recheck   time.Time // when to look again
	}{
		"no freeze: advances":     {nil, "Reinforcement", time.Time{}},
		"frozen: stays, rechecks": {&Freeze{Name: "year-end", Until: until}, "Initiation", until},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			out := Decide(Input{Spec: spec, Status: status, Indicators: map[string]Indicator{}, Now: now, Freeze: tc.freeze})
			g.Expect(out.Stage).To(Equal(tc.wantStage))
			g.Expect(out.RecheckAt).To(Equal(tc.recheck))
			if tc.freeze != nil {
				g.Expect(out.Gates).To(ContainElement(v1alpha1.GateStatus{Kind: v1alpha1.GateFreeze, Name: "year-end",
					Message: "freeze year-end holds stage advancement until 2027-01-04T00:00:00Z"}))
				g.Expect(out.Progress).To(Equal(int32(100)), "a freeze is no criterion: progress counts the met ones")
			}
		})
	}
}
