package conditions

import (
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// A new object waits, before its first status write, for the objects it
// depends on: a program is applied in one go (kubectl apply, Flux, Argo
// CD), its objects reach the manager's cache through separate watches, and
// without the wait an object reconciled before its dependencies would write
// "not found", then again once they appear. Their events end the wait, so
// it is usually far shorter than these bounds.
const (
	// MissingGrace bounds the wait for a dependency that does not exist
	// (it may be a typo, to be reported soon).
	MissingGrace = 5 * time.Second
	// UnjudgedGrace bounds the wait for a dependency that exists but has
	// not been reconciled at its current generation (its controller is busy).
	UnjudgedGrace = 30 * time.Second
)

// FirstWriteHold reports whether obj, whose conditions are conds, should
// hold its first status write, and until when: it has no Ready condition
// yet and was created less than grace ago. A creation time ahead of now
// (clock skew) never holds.
func FirstWriteHold(obj client.Object, conds []metav1.Condition, now time.Time, grace time.Duration) (time.Time, bool) {
	created := obj.GetCreationTimestamp().Time
	if meta.FindStatusCondition(conds, v1alpha1.ConditionReady) != nil || now.Before(created) || !now.Before(created.Add(grace)) {
		return time.Time{}, false
	}
	return created.Add(grace), true
}
