package initiative

import (
	"time"

	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/stages"
)

// A new initiative waits, before its first status write, for the
// indicators it depends on: programs are applied together (kubectl apply,
// Flux, Argo CD), and without the wait an initiative reconciled before its
// indicators would write IndicatorNotFound, then its gates again once each
// indicator is judged. The indicators' own events wake it, so it usually
// waits far less than these bounds.
const (
	// MissingGrace bounds the wait for an indicator its gates name that
	// does not exist (it may be a typo, to be reported soon).
	MissingGrace = 5 * time.Second
	// UnjudgedGrace bounds the wait for an indicator that exists but has
	// not been judged at its current generation (its controller is busy).
	UnjudgedGrace = 30 * time.Second
)

// holdFirstWrite reports whether a new initiative should wait before its
// first status write, and until when: it has no Ready condition yet, and an
// indicator its gates name has been missing for less than MissingGrace
// since the initiative's creation, or an indicator its gates name or that
// belongs to it has not been judged and UnjudgedGrace has not passed. A
// creation time ahead of now (clock skew) never holds.
func holdFirstWrite(obj *v1alpha1.Initiative, gate map[string]*v1alpha1.LeadingIndicator, own []v1alpha1.LeadingIndicator, now time.Time) (time.Time, bool) {
	age := now.Sub(obj.CreationTimestamp.Time)
	if meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady) != nil || age < 0 {
		return time.Time{}, false
	}
	var grace time.Duration
	for _, name := range stages.IndicatorNames(obj.Spec) {
		switch ind := gate[name]; {
		case ind == nil:
			return holdUntil(obj, MissingGrace, age) // a missing one ends the wait sooner
		case judged(ind) == conditions.Pending:
			grace = UnjudgedGrace
		}
	}
	for i := range own {
		if judged(&own[i]) == conditions.Pending {
			grace = UnjudgedGrace
		}
	}
	return holdUntil(obj, grace, age)
}

// holdUntil holds until grace after the creation, unless that has passed.
func holdUntil(obj *v1alpha1.Initiative, grace, age time.Duration) (time.Time, bool) {
	if age >= grace {
		return time.Time{}, false
	}
	return obj.CreationTimestamp.Add(grace), true
}

func judged(ind *v1alpha1.LeadingIndicator) conditions.Readiness {
	return conditions.ReadinessOf(ind.Generation, ind.Status.ObservedGeneration, ind.Status.Conditions)
}
