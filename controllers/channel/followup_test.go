package channel

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
)

func TestFollowUp(t *testing.T) {
	ready := conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonChannelReady, "ok")
	unusable := conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonSecretNotUsable, "Secret s is not labelled")
	tests := map[string]struct {
		v       verdict       // what check found
		wrote   bool          // whether status changed
		recheck time.Duration // the configured Ready re-check
		reasons []string      // Event reasons, all Warnings
		requeue time.Duration
	}{
		"ready, unchanged: re-checked later, quietly":  {v: verdict{ready: ready}, requeue: ReadyRecheck},
		"ready, just written":                          {v: verdict{ready: ready}, wrote: true, requeue: ReadyRecheck},
		"ready with a configured re-check":             {v: verdict{ready: ready}, recheck: time.Second, requeue: time.Second},
		"ready through the legacy label, just written": {v: verdict{ready: ready, deprecated: true}, wrote: true, reasons: []string{v1alpha1.EventSecretLabelDeprecated}, requeue: ReadyRecheck},
		"ready through the legacy label, unchanged":    {v: verdict{ready: ready, deprecated: true}, requeue: ReadyRecheck},
		"not usable, just written: one Warning":        {v: verdict{ready: unusable}, wrote: true, reasons: []string{v1alpha1.ReasonSecretNotUsable}, requeue: SecretRecheck},
		"not usable, unchanged: no repeat":             {v: verdict{ready: unusable}, recheck: time.Hour, requeue: SecretRecheck},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			evs, requeue := followUp(tt.v, tt.wrote, tt.recheck)
			var reasons []string
			for _, e := range evs {
				g.Expect(e.Type).To(Equal("Warning"))
				reasons = append(reasons, e.Reason)
			}
			g.Expect(reasons).To(Equal(tt.reasons))
			g.Expect(requeue).To(Equal(tt.requeue))
		})
	}
}
