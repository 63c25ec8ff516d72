package watchdog

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/types"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

func TestCheckNoticesAStuckWorker(t *testing.T) {
	g := NewWithT(t)
	clk := clocktesting.NewFakeClock(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC))
	w := &Watchdog{Clock: clk, Limit: time.Minute}
	entered, release, finished := make(chan struct{}), make(chan struct{}), make(chan struct{})
	stuck := w.Wrap("initiative", reconcile.Func(func(context.Context, reconcile.Request) (reconcile.Result, error) {
		close(entered)
		<-release
		return reconcile.Result{}, nil
	}))
	quick := w.Wrap("initiative", reconcile.Func(func(context.Context, reconcile.Request) (reconcile.Result, error) {
		return reconcile.Result{}, nil
	}))

	g.Expect(w.Check(nil)).To(Succeed(), "nothing in flight")
	_, _ = quick.Reconcile(context.Background(), reconcile.Request{})
	go func() {
		_, _ = stuck.Reconcile(context.Background(), reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "culture", Name: "customer-first"}})
		close(finished)
	}()
	<-entered
	clk.Step(time.Minute)
	g.Expect(w.Check(nil)).To(Succeed(), "at the limit, not past it")
	clk.Step(time.Second)
	g.Expect(w.Check(nil)).To(MatchError(ContainSubstring("the initiative reconcile of culture/customer-first has run for 1m1s")))
	close(release)
	<-finished
	g.Expect(w.Check(nil)).To(Succeed(), "healthy again once the worker returns")
}
