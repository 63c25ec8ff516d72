package conditions

import (
	"context"
	"errors"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/events"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/record"
)

func TestFinish(t *testing.T) {
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	ready := Ready(metav1.ConditionTrue, v1alpha1.ReasonChannelReady, "ok")
	warn := []record.Event{{Type: "Warning", Reason: "X", Note: "x"}}
	tests := map[string]struct {
		stored     []metav1.Condition // the conditions the API server holds
		stale      bool               // the read is older than what is stored
		outcome    Outcome
		want       reconcile.Result
		wantErr    bool
		wantEvents int  // Events emitted
		wantStored bool // Stored ran
		wantWrote  bool // and saw a write
	}{
		"first write: events, requeue at RecheckAt": {
			outcome: Outcome{Result: Result{Ready: ready}, Events: warn, RecheckAt: now.Add(time.Hour)},
			want:    reconcile.Result{RequeueAfter: time.Hour}, wantEvents: 1, wantStored: true, wantWrote: true,
		},
		"nothing changed: no write, no events": {
			stored:     []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: metav1.ConditionTrue, Reason: v1alpha1.ReasonChannelReady, Message: "ok", ObservedGeneration: 1, LastTransitionTime: metav1.NewTime(now)}},
			outcome:    Outcome{Result: Result{Ready: ready}, Events: warn},
			wantStored: true,
		},
		"transient error: recorded, then returned": {
			outcome: Outcome{Result: Result{Err: errors.New("boom")}, Events: warn, RecheckAt: now.Add(time.Hour)},
			wantErr: true, wantEvents: 1, wantStored: true, wantWrote: true,
		},
		"lost a race: retried without an error or events": {
			stale:   true,
			outcome: Outcome{Result: Result{Ready: ready}, Events: warn},
			want:    reconcile.Result{RequeueAfter: ConflictRetry},
		},
		"past due: at once, not a hot loop": {
			outcome: Outcome{Result: Result{Ready: ready}, RecheckAt: now.Add(-time.Hour)},
			want:    reconcile.Result{RequeueAfter: time.Millisecond}, wantStored: true, wantWrote: true,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			scheme := runtime.NewScheme()
			g.Expect(v1alpha1.AddToScheme(scheme)).To(Succeed())
			obj := &v1alpha1.Channel{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "c", Generation: 1}}
			obj.Status.Conditions = tc.stored
			obj.Status.ObservedGeneration = 1
			c := fake.NewClientBuilder().WithScheme(scheme).WithObjects(obj).WithStatusSubresource(obj).Build()
			g.Expect(c.Get(context.Background(), client.ObjectKeyFromObject(obj), obj)).To(Succeed())
			if tc.stale {
				newer := obj.DeepCopy()
				newer.Status.ObservedGeneration = 7 // written meanwhile
				g.Expect(c.Status().Update(context.Background(), newer)).To(Succeed())
			}
			before := obj.DeepCopy()
			rec := events.NewFakeRecorder(10)
			stored, wrote := false, false
			tc.outcome.Stored = func(w bool) { stored, wrote = true, w }
			got, err := Finish(context.Background(), c, rec, before, obj, &obj.Status.Conditions, &obj.Status.ObservedGeneration, tc.outcome, now)
			g.Expect(err != nil).To(Equal(tc.wantErr))
			g.Expect(got).To(Equal(tc.want))
			g.Expect(rec.Events).To(HaveLen(tc.wantEvents))
			g.Expect(stored).To(Equal(tc.wantStored))
			g.Expect(wrote).To(Equal(tc.wantWrote))
		})
	}
}

func TestWarning(t *testing.T) {
	falseA := Ready(metav1.ConditionFalse, "A", "a")
	tests := map[string]struct {
		prev *metav1.Condition // Ready before this reconcile
		next metav1.Condition  // Ready decided now
		want bool              // a Warning is emitted
	}{
		"first not-ready":          {next: falseA, want: true},
		"same reason again":        {prev: &falseA, next: Ready(metav1.ConditionFalse, "A", "other message")},
		"new reason":               {prev: &falseA, next: Ready(metav1.ConditionFalse, "B", "b"), want: true},
		"from Unknown to False":    {prev: &metav1.Condition{Status: metav1.ConditionUnknown, Reason: "A"}, next: falseA, want: true},
		"ready is never a warning": {prev: &falseA, next: Ready(metav1.ConditionTrue, "C", "c")},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(Warning(tc.prev, tc.next) != nil).To(Equal(tc.want))
		})
	}
}
