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
	// Whether the Events go out (only with a status write) is
	// conditions.Finish's rule, tested there.
	tests := map[string]struct {
		v       verdict       // what check found
		recheck time.Duration // the configured Ready re-check
		reasons []string      // Event reasons, all Warnings
		requeue time.Duration
	}{
		"ready: re-checked later, quietly":              {v: verdict{ready: ready}, requeue: ReadyRecheck},
		"ready with a configured re-check":              {v: verdict{ready: ready}, recheck: time.Second, requeue: time.Second},
		"ready through the legacy label: a Warning":     {v: verdict{ready: ready, deprecated: true}, reasons: []string{v1alpha1.EventSecretLabelDeprecated}, requeue: ReadyRecheck},
		"not usable: one Warning, re-checked soon":      {v: verdict{ready: unusable}, reasons: []string{v1alpha1.ReasonSecretNotUsable}, requeue: SecretRecheck},
		"not usable: the Ready re-check does not apply": {v: verdict{ready: unusable}, recheck: time.Hour, reasons: []string{v1alpha1.ReasonSecretNotUsable}, requeue: SecretRecheck},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			evs, requeue := followUp(tt.v, tt.recheck)
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
