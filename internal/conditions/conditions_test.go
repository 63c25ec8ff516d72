package conditions

import (
	"errors"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/bound"
)

func TestSummarize(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	ready := Ready(metav1.ConditionTrue, "StageInProgress", "in stage Initiation")
	tests := map[string]struct {
		before       []metav1.Condition
		result       Result
		wantObserved int64
		want         map[string]metav1.ConditionStatus // absent types must be absent
	}{
		"first success": {
			result: Result{Ready: ready}, wantObserved: 2,
			want: map[string]metav1.ConditionStatus{v1alpha1.ConditionReady: metav1.ConditionTrue},
		},
		"first error: Ready is Unknown, Reconciling True, generation not observed": {
			result: Result{Err: errors.New("boom")}, wantObserved: 1,
			want: map[string]metav1.ConditionStatus{v1alpha1.ConditionReady: metav1.ConditionUnknown, v1alpha1.ConditionReconciling: metav1.ConditionTrue},
		},
		"error after success keeps the last Ready": {
			before: []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: metav1.ConditionTrue, Reason: "X"}},
			result: Result{Err: errors.New("boom")}, wantObserved: 1,
			want: map[string]metav1.ConditionStatus{v1alpha1.ConditionReady: metav1.ConditionTrue, v1alpha1.ConditionReconciling: metav1.ConditionTrue},
		},
		"stalled": {
			result: Result{Ready: Ready(metav1.ConditionFalse, "StageNotFound", "fix it"), Stalled: "StageNotFound"}, wantObserved: 2,
			want: map[string]metav1.ConditionStatus{v1alpha1.ConditionReady: metav1.ConditionFalse, v1alpha1.ConditionStalled: metav1.ConditionTrue},
		},
		"recovery removes Reconciling and Stalled": {
			before: []metav1.Condition{
				{Type: v1alpha1.ConditionReconciling, Status: metav1.ConditionTrue, Reason: "Retrying"},
				{Type: v1alpha1.ConditionStalled, Status: metav1.ConditionTrue, Reason: "StageNotFound"},
			},
			result: Result{Ready: ready}, wantObserved: 2,
			want: map[string]metav1.ConditionStatus{v1alpha1.ConditionReady: metav1.ConditionTrue},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			conds := append([]metav1.Condition(nil), tc.before...)
			if got := Summarize(&conds, 1, 2, tc.result, t0); got != tc.wantObserved {
				t.Errorf("observedGeneration = %d, want %d", got, tc.wantObserved)
			}
			if len(conds) != len(tc.want) {
				t.Errorf("conditions = %+v, want exactly %v", conds, tc.want)
			}
			for typ, status := range tc.want {
				c := meta.FindStatusCondition(conds, typ)
				if c == nil || c.Status != status {
					t.Errorf("%s = %+v, want %s", typ, c, status)
				}
			}
		})
	}
}

func TestSetMovesTransitionTimeOnlyOnStatusChange(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var conds []metav1.Condition
	Set(&conds, "Ready", metav1.ConditionFalse, "A", "a", 1, t0)
	Set(&conds, "Ready", metav1.ConditionFalse, "B", "b", 2, t0.Add(time.Hour))
	if got := conds[0].LastTransitionTime.Time; !got.Equal(t0) {
		t.Errorf("reason change moved lastTransitionTime to %v", got)
	}
	Set(&conds, "Ready", metav1.ConditionTrue, "C", "c", 2, t0.Add(2*time.Hour))
	if got := conds[0].LastTransitionTime.Time; !got.Equal(t0.Add(2 * time.Hour)) {
		t.Errorf("status change left lastTransitionTime at %v", got)
	}
}

// A condition message longer than the API server accepts (32 KiB) is cut
// and marked: the status write that carries it still succeeds.
func TestSetCutsLongMessages(t *testing.T) {
	var conds []metav1.Condition
	Set(&conds, v1alpha1.ConditionReady, metav1.ConditionFalse, "TemplateInvalid", strings.Repeat("x", 40000), 1, time.Now())
	if got := len(conds[0].Message); got > bound.ConditionMessage || !strings.HasSuffix(conds[0].Message, bound.Marker) {
		t.Fatalf("message of %d bytes, want at most %d ending in %s", got, bound.ConditionMessage, bound.Marker)
	}
}
