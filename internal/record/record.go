// Package record emits the Events a reconcile decided on. Events are written
// only after the status write that they describe succeeded, so a retried
// reconcile does not announce the same transition twice.
package record

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/events"

	"github.com/momentum-dev/momentum/internal/bound"
)

// Event is one Event to emit about the reconciled object.
type Event struct {
	// Type is corev1.EventTypeNormal or corev1.EventTypeWarning.
	Type string
	// Reason is a CamelCase constant, e.g. StageEntered.
	Reason string
	// Note is the human message.
	Note string
}

// Emit records each event about obj. A note longer than the API server
// allows is cut (and marked) rather than lost with its Event.
func Emit(r events.EventRecorder, obj runtime.Object, evs []Event) {
	for _, e := range evs {
		r.Eventf(obj, nil, e.Type, e.Reason, e.Reason, "%s", bound.Text(e.Note, bound.EventNote))
	}
}
