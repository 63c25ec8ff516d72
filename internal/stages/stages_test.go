package stages

import (
	"fmt"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/bound"
)

var t0 = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

func dur(d time.Duration) *metav1.Duration { return &metav1.Duration{Duration: d} }

// program is a four-stage initiative whose first stage has every kind of gate.
func program() v1alpha1.InitiativeSpec {
	return v1alpha1.InitiativeSpec{
		Why:      "Every customer should feel we are on their side.",
		Sponsors: []v1alpha1.Person{{Name: "Dana Lee"}},
		Stages: []v1alpha1.Stage{
			{Name: "Initiation", ExitCriteria: &v1alpha1.ExitCriteria{
				MinDuration: dur(720 * time.Hour),
				Actions:     []v1alpha1.Action{{Name: "publish-why", Owner: "Dana Lee", Done: true}},
				Indicators:  []v1alpha1.IndicatorCriterion{{Name: "employee-awareness", Health: v1alpha1.RequireOnTarget}},
				Approval:    v1alpha1.ApprovalRequired,
			}},
			{Name: "Implementation", ExitCriteria: &v1alpha1.ExitCriteria{
				Actions: []v1alpha1.Action{{Name: "train-leaders"}},
			}},
			{Name: "Embedding"},
			{Name: "Reinforcement"},
		},
		Approvals: []v1alpha1.Approval{{Stage: "Initiation", ApprovedBy: "Dana Lee"}},
	}
}

func indicator(h v1alpha1.Health, value string) Indicator {
	v := v1alpha1.Decimal(value)
	return Indicator{Health: h, Freshness: v1alpha1.Fresh, Value: &v, Target: v1alpha1.Target{Value: "75"}}
}

func inStage(name string, entered time.Time) v1alpha1.InitiativeStatus {
	at := metav1.NewTime(entered)
	return v1alpha1.InitiativeStatus{Stage: name, StageEnteredAt: &at, History: []v1alpha1.StageRecord{{Name: name, EnteredAt: at}}}
}

func TestDecide(t *testing.T) {
	onTarget := map[string]Indicator{"employee-awareness": indicator(v1alpha1.HealthOnTarget, "80")}
	tests := map[string]struct {
		spec   func(*v1alpha1.InitiativeSpec)
		status v1alpha1.InitiativeStatus
		inds   map[string]Indicator
		now    time.Time
		// want
		stage        string
		entered      bool
		progress     int32
		recheck      time.Time
		unmetGate    string // a gate kind that must be unmet, "" for none
		missing      []string
		stageMissing bool
	}{
		"a new initiative enters its first stage": {
			status: v1alpha1.InitiativeStatus{}, inds: onTarget, now: t0,
			stage: "Initiation", entered: true, progress: 50, recheck: t0.Add(720 * time.Hour), unmetGate: "MinDuration",
		},
		"minDuration not yet passed holds the stage and names the recheck time": {
			status: inStage("Initiation", t0), inds: onTarget, now: t0.Add(719 * time.Hour),
			stage: "Initiation", progress: 50, recheck: t0.Add(720 * time.Hour), unmetGate: "MinDuration",
		},
		"every gate met advances exactly one stage": {
			status: inStage("Initiation", t0), inds: onTarget, now: t0.Add(720 * time.Hour),
			stage: "Implementation", entered: true, progress: 66, unmetGate: "Action",
		},
		"an undone action holds the stage": {
			spec:   func(s *v1alpha1.InitiativeSpec) { s.Stages[0].ExitCriteria.Actions[0].Done = false },
			status: inStage("Initiation", t0), inds: onTarget, now: t0.Add(800 * time.Hour),
			stage: "Initiation", progress: 50, unmetGate: "Action",
		},
		"a missing approval holds the stage": {
			spec:   func(s *v1alpha1.InitiativeSpec) { s.Approvals = nil },
			status: inStage("Initiation", t0), inds: onTarget, now: t0.Add(800 * time.Hour),
			stage: "Initiation", progress: 50, unmetGate: "Approval",
		},
		"an at-risk indicator fails an OnTarget gate": {
			status: inStage("Initiation", t0), inds: map[string]Indicator{"employee-awareness": indicator(v1alpha1.HealthAtRisk, "61")}, now: t0.Add(800 * time.Hour),
			stage: "Initiation", progress: 50, unmetGate: "Indicator",
		},
		"an at-risk indicator passes a NotOffTarget gate": {
			spec: func(s *v1alpha1.InitiativeSpec) {
				s.Stages[0].ExitCriteria.Indicators[0].Health = v1alpha1.RequireNotOffTarget
			},
			status: inStage("Initiation", t0), inds: map[string]Indicator{"employee-awareness": indicator(v1alpha1.HealthAtRisk, "61")}, now: t0.Add(800 * time.Hour),
			stage: "Implementation", entered: true, progress: 66, unmetGate: "Action",
		},
		"a stale indicator fails any gate": {
			spec: func(s *v1alpha1.InitiativeSpec) {
				s.Stages[0].ExitCriteria.Indicators[0].Health = v1alpha1.RequireNotOffTarget
			},
			status: inStage("Initiation", t0), inds: map[string]Indicator{"employee-awareness": {Health: v1alpha1.HealthUnknown, Freshness: v1alpha1.Stale}}, now: t0.Add(800 * time.Hour),
			stage: "Initiation", progress: 50, unmetGate: "Indicator",
		},
		"a missing indicator is reported and holds the stage": {
			status: inStage("Initiation", t0), inds: nil, now: t0.Add(800 * time.Hour),
			stage: "Initiation", progress: 50, unmetGate: "Indicator", missing: []string{"employee-awareness"},
		},
		"suspend holds a stage whose gates are all met": {
			spec:   func(s *v1alpha1.InitiativeSpec) { s.Suspend = ptr.To(true) },
			status: inStage("Initiation", t0), inds: onTarget, now: t0.Add(800 * time.Hour),
			stage: "Initiation", progress: 66,
		},
		"a stage without criteria waits for an approval": {
			status: inStage("Embedding", t0), inds: onTarget, now: t0.Add(10000 * time.Hour),
			stage: "Embedding", progress: 83, unmetGate: "Approval",
		},
		"an approval lets a stage without criteria go": {
			spec: func(s *v1alpha1.InitiativeSpec) {
				s.Approvals = append(s.Approvals, v1alpha1.Approval{Stage: "Embedding", ApprovedBy: "Ravi Patel"})
			},
			status: inStage("Embedding", t0), inds: onTarget, now: t0.Add(time.Minute),
			stage: "Reinforcement", entered: true, progress: 100,
		},
		"the last stage has no exit": {
			status: inStage("Reinforcement", t0), inds: onTarget, now: t0.Add(100000 * time.Hour),
			stage: "Reinforcement", progress: 100,
		},
		"a current stage removed from spec is reported, not guessed": {
			status: inStage("Piloting", t0), inds: onTarget, now: t0,
			stage: "Piloting", stageMissing: true,
		},
		"default stages wait for approvals": {
			spec:   func(s *v1alpha1.InitiativeSpec) { s.Stages, s.Approvals = nil, nil },
			status: v1alpha1.InitiativeStatus{}, now: t0,
			stage: "Initiation", entered: true, progress: 0, unmetGate: "Approval",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			spec := program()
			if tc.spec != nil {
				tc.spec(&spec)
			}
			out := Decide(Input{Spec: spec, Status: tc.status, Indicators: tc.inds, Now: tc.now})
			if out.Stage != tc.stage {
				t.Errorf("stage = %s, want %s", out.Stage, tc.stage)
			}
			if (out.Entered != nil) != tc.entered {
				t.Errorf("entered a stage = %v, want %v", out.Entered != nil, tc.entered)
			}
			if out.StageMissing != tc.stageMissing {
				t.Errorf("stage missing = %v, want %v", out.StageMissing, tc.stageMissing)
			}
			if tc.stageMissing {
				return
			}
			if out.Progress != tc.progress {
				t.Errorf("progress = %d, want %d", out.Progress, tc.progress)
			}
			if !out.RecheckAt.Equal(tc.recheck) {
				t.Errorf("recheck at %v, want %v", out.RecheckAt, tc.recheck)
			}
			unmet := ""
			for _, g := range out.Gates {
				if !g.Met && unmet == "" {
					unmet = string(g.Kind)
				}
				if g.Message == "" {
					t.Errorf("gate %s/%s has no message", g.Kind, g.Name)
				}
			}
			if unmet != tc.unmetGate {
				t.Errorf("first unmet gate = %q, want %q (gates: %+v)", unmet, tc.unmetGate, out.Gates)
			}
			if strings.Join(out.MissingIndicators, ",") != strings.Join(tc.missing, ",") {
				t.Errorf("missing = %v, want %v", out.MissingIndicators, tc.missing)
			}
		})
	}
}

func TestDecideKeepsHistory(t *testing.T) {
	spec := program()
	inds := map[string]Indicator{"employee-awareness": indicator(v1alpha1.HealthOnTarget, "80")}
	now := t0
	status := v1alpha1.InitiativeStatus{}
	// Walk the whole program: approve each stage in turn and let time pass.
	spec.Stages[1].ExitCriteria.Actions[0].Done = true
	spec.Approvals = []v1alpha1.Approval{{Stage: "Initiation", ApprovedBy: "Dana Lee"}, {Stage: "Embedding", ApprovedBy: "Dana Lee"}}
	var visited []string
	for i := 0; i < 10; i++ {
		out := Decide(Input{Spec: spec, Status: status, Indicators: inds, Now: now})
		if out.Entered != nil {
			visited = append(visited, out.Entered.To)
		}
		status.Stage, status.History = out.Stage, out.History
		entered := out.EnteredAt
		status.StageEnteredAt = &entered
		now = now.Add(721 * time.Hour)
	}
	if got := strings.Join(visited, ">"); got != "Initiation>Implementation>Embedding>Reinforcement" {
		t.Fatalf("visited %s, want every stage once, in order", got)
	}
	if len(status.History) != 4 {
		t.Fatalf("history has %d records, want 4", len(status.History))
	}
	for i, h := range status.History[:3] {
		if h.ExitedAt == nil || !strings.HasPrefix(h.Reason, "exit criteria met: ") {
			t.Errorf("history[%d] = %+v: want an exit time and reason", i, h)
		}
		if !h.ExitedAt.Equal(&status.History[i+1].EnteredAt) {
			t.Errorf("history[%d] exited at %v, but the next stage was entered at %v", i, h.ExitedAt, status.History[i+1].EnteredAt)
		}
	}
	if last := status.History[3]; last.ExitedAt != nil {
		t.Errorf("the current stage has an exit time: %+v", last)
	}

	// Editing the spec (removing stages that were passed) never rewrites history.
	spec.Stages = spec.Stages[2:]
	out := Decide(Input{Spec: spec, Status: status, Indicators: inds, Now: now})
	if len(out.History) != 4 || out.History[0].Name != "Initiation" {
		t.Errorf("history after spec edit = %+v, want it unchanged", out.History)
	}
}

func TestProgressWithoutCriteriaCountsApprovals(t *testing.T) {
	spec := v1alpha1.InitiativeSpec{Approvals: []v1alpha1.Approval{{Stage: "Initiation", ApprovedBy: "x"}}}
	out := Decide(Input{Spec: spec, Status: inStage("Initiation", t0), Now: t0})
	if out.Stage != "Implementation" || out.Progress != 33 {
		t.Errorf("got stage %s progress %d, want Implementation 33", out.Stage, out.Progress)
	}
}

func TestTruncateKeepsRunes(t *testing.T) {
	s := strings.Repeat("é", 600)
	got := bound.Text(s, 1024)
	if len(got) > 1024 || !strings.HasSuffix(got, bound.Marker) || !strings.HasPrefix(got, "é") {
		t.Fatalf("truncate = %d bytes %q...", len(got), got[:10])
	}
	for _, r := range strings.TrimSuffix(got, bound.Marker) {
		if r != 'é' {
			t.Fatalf("truncate split a character: %q", r)
		}
	}
}

// TestHistoryStaysWithinItsSchema enters more stages than status.history may
// hold (a sliding window of stage names makes that possible): the oldest
// records go, counted, and the current stage's record stays the newest.
func TestHistoryStaysWithinItsSchema(t *testing.T) {
	spec := v1alpha1.InitiativeSpec{Why: "w", Sponsors: []v1alpha1.Person{{Name: "Dana Lee"}}}
	now := t0
	status := v1alpha1.InitiativeStatus{}
	var trimmed int32
	for i := 0; i < v1alpha1.MaxHistory+10; i++ {
		// The current stage, approved, is followed by a new one.
		cur := fmt.Sprintf("s%d", i)
		spec.Stages = []v1alpha1.Stage{{Name: cur}, {Name: fmt.Sprintf("s%d", i+1)}}
		spec.Approvals = []v1alpha1.Approval{{Stage: cur, ApprovedBy: "Dana Lee"}}
		if status.Stage == "" {
			status = inStage(cur, now)
		}
		out := Decide(Input{Spec: spec, Status: status, Now: now})
		status.Stage, status.History, status.StageEnteredAt = out.Stage, out.History, &out.EnteredAt
		trimmed += out.HistoryTrimmed
		now = now.Add(time.Hour)
	}
	if len(status.History) != v1alpha1.MaxHistory {
		t.Fatalf("history has %d records, want %d", len(status.History), v1alpha1.MaxHistory)
	}
	if want := int32(v1alpha1.MaxHistory + 11 - v1alpha1.MaxHistory); trimmed != want {
		t.Errorf("trimmed %d records, want %d", trimmed, want)
	}
	if last := status.History[len(status.History)-1]; last.Name != status.Stage || last.ExitedAt != nil {
		t.Errorf("newest record %+v, want the open record of the current stage %s", last, status.Stage)
	}
}
