package conditions

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestReadinessOf(t *testing.T) {
	ready := []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: metav1.ConditionTrue}}
	notReady := []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: metav1.ConditionFalse}}
	unknown := []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: metav1.ConditionUnknown}}
	tests := map[string]struct {
		generation, observed int64
		conds                []metav1.Condition
		want                 Readiness
	}{
		"never checked":                        {generation: 1, want: Pending},
		"ready at this generation":             {generation: 2, observed: 2, conds: ready, want: IsReady},
		"ready for an older spec":              {generation: 3, observed: 2, conds: ready, want: Pending},
		"observed but no Ready condition":      {generation: 1, observed: 1, want: Pending},
		"not ready at this generation":         {generation: 1, observed: 1, conds: notReady, want: NotReady},
		"not ready for an older spec":          {generation: 2, observed: 1, conds: notReady, want: Pending},
		"unknown is not ready":                 {generation: 1, observed: 1, conds: unknown, want: NotReady},
		"observed ahead (a stale read) is not": {generation: 1, observed: 2, conds: ready, want: Pending},
		"other conditions only":                {generation: 1, observed: 1, conds: []metav1.Condition{{Type: "Stalled", Status: metav1.ConditionTrue}}, want: Pending},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := ReadinessOf(tt.generation, tt.observed, tt.conds); got != tt.want {
				t.Fatalf("ReadinessOf() = %d, want %d", got, tt.want)
			}
		})
	}
}
