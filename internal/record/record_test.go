package record

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/events"

	"github.com/momentum-dev/momentum/internal/bound"
)

// An Event note longer than the API server accepts (1 KiB) is cut and
// marked, not lost with its Event.
func TestEmitCutsLongNotes(t *testing.T) {
	g := NewWithT(t)
	rec := events.NewFakeRecorder(2)
	Emit(rec, &corev1.Pod{}, []Event{
		{Type: corev1.EventTypeWarning, Reason: "TemplateInvalid", Note: strings.Repeat("é", 2000)},
		{Type: corev1.EventTypeNormal, Reason: "StageEntered", Note: "short"},
	})
	long, short := <-rec.Events, <-rec.Events
	g.Expect(long).To(HaveSuffix(bound.Marker))
	g.Expect(len(strings.TrimPrefix(long, "Warning TemplateInvalid "))).To(BeNumerically("<=", bound.EventNote))
	g.Expect(short).To(Equal("Normal StageEntered short"))
}
