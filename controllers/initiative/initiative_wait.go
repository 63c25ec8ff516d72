package initiative

import (
	"time"

	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/stages"
)

// FirstWriteGrace is how long a new initiative waits, before its first
// status write, for the indicators it depends on to exist and be judged.
// Programs are applied together (kubectl apply, Flux, Argo CD), and without
// the wait an initiative reconciled before its indicators would write
// IndicatorNotFound, then its gates again once each indicator is judged.
// The indicators' own events wake it, so it usually waits far less.
const FirstWriteGrace = 5 * time.Second

// holdFirstWrite reports whether a new initiative should wait before its
// first status write, and until when: it has no Ready condition yet, was
// created less than FirstWriteGrace ago, and an indicator its gates name is
// missing, or an indicator its gates name or that belongs to it has not
// been judged at its current generation. A creation time ahead of now
// (clock skew) never holds.
func holdFirstWrite(obj *v1alpha1.Initiative, gate map[string]*v1alpha1.LeadingIndicator, own []v1alpha1.LeadingIndicator, now time.Time) (time.Time, bool) {
	if meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady) != nil {
		return time.Time{}, false
	}
	until := obj.CreationTimestamp.Add(FirstWriteGrace)
	if age := now.Sub(obj.CreationTimestamp.Time); age < 0 || age >= FirstWriteGrace {
		return time.Time{}, false
	}
	for _, name := range stages.IndicatorNames(obj.Spec) {
		if ind := gate[name]; ind == nil || judged(ind) == conditions.Pending {
			return until, true
		}
	}
	for i := range own {
		if judged(&own[i]) == conditions.Pending {
			return until, true
		}
	}
	return time.Time{}, false
}

func judged(ind *v1alpha1.LeadingIndicator) conditions.Readiness {
	return conditions.ReadinessOf(ind.Generation, ind.Status.ObservedGeneration, ind.Status.Conditions)
}
