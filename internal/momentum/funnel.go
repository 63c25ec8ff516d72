package momentum

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/health"
)

// funnelLevels maps indicator categories to the funnel: people become
// aware, understand, believe, and then act.
var funnelLevels = []struct {
	level    v1alpha1.FunnelLevelName
	category v1alpha1.IndicatorCategory
}{
	{v1alpha1.FunnelAwareness, v1alpha1.CategoryAwareness},
	{v1alpha1.FunnelUnderstanding, v1alpha1.CategoryUnderstanding},
	{v1alpha1.FunnelBelief, v1alpha1.CategoryEmployeeBelief},
	{v1alpha1.FunnelAction, v1alpha1.CategoryBehaviorAdoption},
}

// healthRank orders healths from weakest to strongest.
var healthRank = map[v1alpha1.Health]int{
	v1alpha1.HealthOffTarget: 0, v1alpha1.HealthAtRisk: 1, v1alpha1.HealthUnknown: 2, v1alpha1.HealthOnTarget: 3, "": 2,
}

// Funnel judges each funnel level by its weakest indicator and names the
// weakest level: lowest health first, then the largest shortfall against
// target, then the earlier level (later levels rest on earlier ones). It is
// nil when no indicator belongs to the funnel.
func Funnel(inds []v1alpha1.LeadingIndicator) *v1alpha1.Funnel {
	f := &v1alpha1.Funnel{}
	weakest := -1
	var weakestInd *v1alpha1.LeadingIndicator
	for _, fl := range funnelLevels {
		level := v1alpha1.FunnelLevel{Level: fl.level, Health: v1alpha1.HealthUnknown}
		var worst *v1alpha1.LeadingIndicator
		for i := range inds {
			if inds[i].Spec.Category == fl.category && (worst == nil || weaker(&inds[i], worst)) {
				worst = &inds[i]
			}
		}
		if worst != nil {
			target := worst.Spec.Target.Value
			level.Health, level.Indicator, level.Value, level.Target = orUnknown(worst.Status.Health), worst.Name, worst.Status.Value, &target
			if weakestInd == nil || weaker(worst, weakestInd) {
				weakest, weakestInd = len(f.Levels), worst
			}
		}
		f.Levels = append(f.Levels, level)
	}
	if weakestInd == nil {
		return nil
	}
	lvl := f.Levels[weakest]
	name := strings.ToLower(string(lvl.Level))
	switch {
	case lvl.Health == v1alpha1.HealthOnTarget:
		f.WeakestLink = "every funnel level is on target"
	case lvl.Value == nil:
		f.WeakestLink = fmt.Sprintf("%s is the weakest link: %s has no fresh measurement", name, lvl.Indicator)
	default:
		rel := "<"
		if weakestInd.Spec.Target.Direction == v1alpha1.AtMost {
			rel = ">"
		}
		f.WeakestLink = fmt.Sprintf("%s is the weakest link: %s %s target %s", name, lvl.Value, rel, lvl.Target)
	}
	return f
}

// weaker reports whether a stands worse than b: lower health, or the same
// health with a larger shortfall relative to its target.
func weaker(a, b *v1alpha1.LeadingIndicator) bool {
	ra, rb := healthRank[a.Status.Health], healthRank[b.Status.Health]
	if ra != rb {
		return ra < rb
	}
	return shortfall(a).Cmp(shortfall(b)) > 0
}

// shortfall is how far the value is on the wrong side of the target, as a
// share of the target (0 when on target or unmeasured).
func shortfall(ind *v1alpha1.LeadingIndicator) *big.Rat {
	if ind.Status.Value == nil {
		return new(big.Rat)
	}
	t, v := ind.Spec.Target.Value.Rat(), ind.Status.Value.Rat()
	gap := health.Gain(ind.Spec.Target.Direction, v, t)
	if gap.Sign() <= 0 || t.Sign() == 0 {
		return new(big.Rat)
	}
	return gap.Quo(gap, new(big.Rat).Abs(t))
}

func orUnknown(h v1alpha1.Health) v1alpha1.Health {
	if h == "" {
		return v1alpha1.HealthUnknown
	}
	return h
}
