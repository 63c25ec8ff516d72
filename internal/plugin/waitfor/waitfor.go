// Package waitfor decides whether an initiative reached what `kubectl
// momentum wait --for` asks for, or can no longer reach it.
package waitfor

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/stages"
)

// Target is what to wait for: Ready, a stage entered, or a gate met.
type Target struct {
	// Kind is "ready", "stage" or "gate".
	Kind string
	// Name is the stage or gate.
	Name string
}

// Kinds of target.
const (
	KindReady = "ready"
	KindStage = "stage"
	KindGate  = "gate"
)

// String is the target as --for spells it.
func (t Target) String() string {
	if t.Name == "" {
		return t.Kind
	}
	return t.Kind + "=" + t.Name
}

// Parse reads --for: ready, stage=NAME or gate=NAME.
func Parse(s string) (Target, error) {
	kind, name, hasName := strings.Cut(s, "=")
	switch {
	case kind == KindReady && !hasName:
		return Target{Kind: kind}, nil
	case (kind == KindStage || kind == KindGate) && name != "":
		return Target{Kind: kind, Name: name}, nil
	}
	return Target{}, fmt.Errorf("--for must be ready, stage=NAME or gate=NAME, not %q", s)
}

// Outcome is the decision on one observed state of the initiative.
type Outcome struct {
	// Reached: the wait is over, successfully.
	Reached bool
	// Failed: the target can no longer be reached without a spec change.
	Failed bool
	// Message says why, for the user.
	Message string
}

// Evaluate judges it against t. Only a status the controller computed for
// the current spec counts (observedGeneration equals generation).
func Evaluate(it *v1alpha1.Initiative, t Target) Outcome {
	if c := meta.FindStatusCondition(it.Status.Conditions, v1alpha1.ConditionStalled); c != nil && c.Status == metav1.ConditionTrue {
		return Outcome{Failed: true, Message: fmt.Sprintf("initiative %s is Stalled (%s): %s", it.Name, c.Reason, c.Message)}
	}
	if t.Kind == KindStage && !slices.Contains(stages.Names(it.Spec), t.Name) && !entered(it, t.Name) {
		return Outcome{Failed: true, Message: fmt.Sprintf("%q is not a stage of initiative %s (%s)", t.Name, it.Name, strings.Join(stages.Names(it.Spec), ", "))}
	}
	if it.Status.ObservedGeneration != it.Generation {
		return Outcome{Message: "waiting for the controller to reconcile the latest spec"}
	}
	switch t.Kind {
	case KindReady:
		c := meta.FindStatusCondition(it.Status.Conditions, v1alpha1.ConditionReady)
		if c != nil && c.Status == metav1.ConditionTrue {
			return Outcome{Reached: true, Message: fmt.Sprintf("initiative %s is Ready: %s", it.Name, c.Message)}
		}
	case KindStage:
		if entered(it, t.Name) {
			return Outcome{Reached: true, Message: fmt.Sprintf("initiative %s reached stage %s (now in %s)", it.Name, t.Name, it.Status.Stage)}
		}
	case KindGate:
		return gate(it, t.Name)
	}
	return Outcome{Message: "not yet"}
}

func gate(it *v1alpha1.Initiative, name string) Outcome {
	for _, g := range it.Status.Gates {
		if g.Name == name && g.Met {
			return Outcome{Reached: true, Message: fmt.Sprintf("gate %s of stage %s is met: %s", name, it.Status.Stage, g.Message)}
		}
	}
	for _, h := range it.Status.History {
		if h.ExitedAt != nil && declares(it, h.Name, name) {
			return Outcome{Reached: true, Message: fmt.Sprintf("gate %s belongs to stage %s, which was left: %s", name, h.Name, h.Reason)}
		}
	}
	return Outcome{Message: "not yet"}
}

// declares says whether stage has a gate called name: an action, an
// indicator, or the stage itself (its minDuration and approval gates).
func declares(it *v1alpha1.Initiative, stage, name string) bool {
	if stage == name {
		return true
	}
	for _, s := range it.Spec.Stages {
		if s.Name != stage || s.ExitCriteria == nil {
			continue
		}
		ec := s.ExitCriteria
		return slices.ContainsFunc(ec.Actions, func(a v1alpha1.Action) bool { return a.Name == name }) ||
			slices.ContainsFunc(ec.Indicators, func(c v1alpha1.IndicatorCriterion) bool { return c.Name == name })
	}
	return false
}

// Blocking lists the unmet gates of the current stage, for a timeout.
func Blocking(it *v1alpha1.Initiative) []string {
	var out []string
	for _, g := range it.Status.Gates {
		if !g.Met {
			out = append(out, fmt.Sprintf("%s %s: %s", g.Kind, g.Name, g.Message))
		}
	}
	return out
}

func entered(it *v1alpha1.Initiative, stage string) bool {
	if it.Status.Stage == stage {
		return true
	}
	return slices.ContainsFunc(it.Status.History, func(h v1alpha1.StageRecord) bool { return h.Name == stage })
}
