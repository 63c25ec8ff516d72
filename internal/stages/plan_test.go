package stages

import (
	"reflect"
	"testing"
	"time"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestPlanIsADryRunOfEveryStage(t *testing.T) {
	spec := program()
	inds := map[string]Indicator{"employee-awareness": indicator(v1alpha1.HealthOnTarget, "80")}
	out := Decide(Input{Spec: spec, Status: inStage("Initiation", t0), Indicators: inds, Now: t0.Add(time.Hour)})
	if len(out.Plan) != 4 {
		t.Fatalf("plan has %d stages, want 4", len(out.Plan))
	}
	want := []struct {
		state      v1alpha1.StageState
		met, total int32
	}{{v1alpha1.StageCurrent, 3, 4}, {v1alpha1.StageUpcoming, 0, 1}, {v1alpha1.StageUpcoming, 0, 1}, {v1alpha1.StageUpcoming, 0, 0}}
	for i, w := range want {
		p := out.Plan[i]
		if p.State != w.state || p.Met != w.met || p.Total != w.total {
			t.Errorf("plan[%d] %s = %s %d/%d, want %s %d/%d", i, p.Name, p.State, p.Met, p.Total, w.state, w.met, w.total)
		}
	}
	if out.Stage != "Initiation" {
		t.Error("the dry run acted")
	}
}

func TestPlanDoesNotChangeWithTheClock(t *testing.T) {
	spec := program()
	spec.Stages[2].ExitCriteria = &v1alpha1.ExitCriteria{MinDuration: dur(240 * time.Hour)}
	inds := map[string]Indicator{"employee-awareness": indicator(v1alpha1.HealthOnTarget, "80")}
	a := Decide(Input{Spec: spec, Status: inStage("Initiation", t0), Indicators: inds, Now: t0.Add(time.Hour)})
	b := Decide(Input{Spec: spec, Status: inStage("Initiation", t0), Indicators: inds, Now: t0.Add(2 * time.Hour)})
	if !reflect.DeepEqual(a.Plan, b.Plan) {
		t.Fatalf("the dry run changed with the clock:\n%+v\n%+v", a.Plan[2], b.Plan[2])
	}
	if got := a.Plan[2].Gates[0].Message; got != "minDuration 240h0m0s, counted from entering the stage" {
		t.Errorf("upcoming minDuration message = %q", got)
	}
}
