package measure

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// TestRunnerBoundsEachNamespace holds every measurement of namespace a and
// shows that a never has more than its share in flight while b's
// measurement finishes at once.
func TestRunnerBoundsEachNamespace(t *testing.T) {
	g := NewWithT(t)
	r := NewRunner(4, 2, func() client.Object { return &v1alpha1.LeadingIndicator{} })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = r.Start(ctx) }()

	release := make(chan struct{})
	var mu sync.Mutex
	inFlight, peak := 0, 0
	tarpit := func(ctx context.Context) (v1alpha1.Decimal, time.Time, error) {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		mu.Unlock()
		defer func() { mu.Lock(); inFlight--; mu.Unlock() }()
		select {
		case <-release:
			return "1", time.Time{}, nil
		case <-ctx.Done():
			return "", time.Time{}, errors.New("cancelled")
		}
	}
	for i := range 16 {
		r.Submit(types.NamespacedName{Namespace: "a", Name: string(rune('a' + i))}, 1, tarpit)
	}
	healthy := types.NamespacedName{Namespace: "b", Name: "healthy"}
	r.Submit(healthy, 3, func(context.Context) (v1alpha1.Decimal, time.Time, error) { return "42", time.Unix(7, 0), nil })

	g.Eventually(r.events).Should(Receive(HaveField("Object.GetName()", "healthy")))
	res, ok := r.Result(healthy, 3)
	g.Expect(ok).To(BeTrue())
	g.Expect(res).To(Equal(Result{Value: "42", At: time.Unix(7, 0), Generation: 3}))
	g.Expect(r.Busy(healthy)).To(BeFalse())

	// Submitting again while a result waits does nothing; Clear forgets it.
	r.Submit(healthy, 3, nil)
	g.Expect(r.Busy(healthy)).To(BeFalse())
	r.Clear(healthy)
	_, ok = r.Result(healthy, 3)
	g.Expect(ok).To(BeFalse())

	mu.Lock()
	g.Expect(peak).To(Equal(2), "namespace a holds at most its share")
	mu.Unlock()
	close(release)
	for range 16 {
		g.Eventually(r.events).Should(Receive())
	}
	mu.Lock()
	g.Expect(peak).To(Equal(2))
	mu.Unlock()
}

func TestRunnerDropsAResultOfAnotherGeneration(t *testing.T) {
	g := NewWithT(t)
	r := NewRunner(0, 0, func() client.Object { return &v1alpha1.LeadingIndicator{} })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = r.Start(ctx) }()
	k := types.NamespacedName{Namespace: "a", Name: "x"}
	r.Submit(k, 1, func(context.Context) (v1alpha1.Decimal, time.Time, error) { return "1", time.Time{}, nil })
	g.Eventually(r.events).Should(Receive())
	_, ok := r.Result(k, 2)
	g.Expect(ok).To(BeFalse(), "the spec it measured changed")
	_, ok = r.Result(k, 1)
	g.Expect(ok).To(BeFalse(), "and it is gone")
}
