package initiative

import (
	"time"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/stages"
)

// holdFirstWrite reports whether a new initiative should hold its first
// status write, and until when (conditions.FirstWriteHold): for
// conditions.MissingGrace while an indicator its gates name does not exist,
// and for conditions.UnjudgedGrace while an indicator its gates name or that
// belongs to it has not been judged at its current generation. Without the
// wait an initiative reconciled before its indicators would write
// IndicatorNotFound, then its gates again once each indicator is judged.
func holdFirstWrite(obj *v1alpha1.Initiative, gate map[string]*v1alpha1.LeadingIndicator, own []v1alpha1.LeadingIndicator, now time.Time) (time.Time, bool) {
	var grace time.Duration
	for _, name := range stages.IndicatorNames(obj.Spec) {
		switch ind := gate[name]; {
		case ind == nil:
			// A missing one ends the wait sooner: it is reported.
			return conditions.FirstWriteHold(obj, obj.Status.Conditions, now, conditions.MissingGrace)
		case judged(ind) == conditions.Pending:
			grace = conditions.UnjudgedGrace
		}
	}
	for i := range own {
		if judged(&own[i]) == conditions.Pending {
			grace = conditions.UnjudgedGrace
		}
	}
	return conditions.FirstWriteHold(obj, obj.Status.Conditions, now, grace)
}

func judged(ind *v1alpha1.LeadingIndicator) conditions.Readiness {
	return conditions.ReadinessOf(ind.Generation, ind.Status.ObservedGeneration, ind.Status.Conditions)
}
