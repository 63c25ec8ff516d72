package stages

import (
	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// recordBaselines finds the open history record of stage and records, once,
// the value of each indicator its improvement gates compare against: the
// value when the stage was entered, or the first one measured in it. Kept in
// status, baselines survive restarts. It returns the record, or nil.
func recordBaselines(history []v1alpha1.StageRecord, stage v1alpha1.Stage, inds map[string]Indicator) *v1alpha1.StageRecord {
	n := len(history)
	if n == 0 || history[n-1].Name != stage.Name || history[n-1].ExitedAt != nil {
		return nil
	}
	rec := &history[n-1]
	if stage.ExitCriteria == nil {
		return rec
	}
	for _, c := range stage.ExitCriteria.Indicators {
		ind, ok := inds[c.Name]
		if c.Improvement == nil || !ok || ind.Value == nil || hasBaseline(rec.Baselines, c.Name) {
			continue
		}
		rec.Baselines = append(append([]v1alpha1.Baseline(nil), rec.Baselines...), v1alpha1.Baseline{Indicator: c.Name, Value: *ind.Value})
	}
	return rec
}

func hasBaseline(bs []v1alpha1.Baseline, name string) bool {
	for _, b := range bs {
		if b.Indicator == name {
			return true
		}
	}
	return false
}

func baselinesOf(rec *v1alpha1.StageRecord) map[string]v1alpha1.Decimal {
	out := map[string]v1alpha1.Decimal{}
	if rec != nil {
		for _, b := range rec.Baselines {
			out[b.Indicator] = b.Value
		}
	}
	return out
}
