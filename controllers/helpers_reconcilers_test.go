package controllers_test

import (
	"context"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/controllers/initiative"
	"github.com/momentum-dev/momentum/controllers/leadingindicator"
	"github.com/momentum-dev/momentum/internal/outbound"
	"github.com/momentum-dev/momentum/internal/sources"
)

// ---- Reconcilers driven directly, without a manager, with an injected clock.

func newInitiativeReconciler(c client.Client, clk clock.PassiveClock) *initiative.Reconciler {
	return &initiative.Reconciler{Client: c, Clock: clk, Recorder: events.NewFakeRecorder(100)}
}

func newIndicatorReconciler(c client.Client, clk clock.PassiveClock) *leadingindicator.Reconciler {
	return &leadingindicator.Reconciler{Client: c, Clock: clk, Recorder: events.NewFakeRecorder(100)}
}

func liveReconciler(clk *clocktesting.FakeClock, policy outbound.Policy, writes *atomic.Int32) *leadingindicator.Reconciler {
	r := newIndicatorReconciler(countingClient(writes), clk)
	r.Secrets = k8s
	r.Measurer = sources.Measurer{Policy: policy}
	return r
}

// countingClient counts every write a reconciler sends to the API server.
func countingClient(writes *atomic.Int32) client.Client {
	c, err := client.NewWithWatch(restCfg, client.Options{Scheme: k8s.Scheme()})
	if err != nil {
		panic(err)
	}
	count := func() { writes.Add(1) }
	return interceptor.NewClient(c, interceptor.Funcs{
		Create: func(ctx context.Context, c client.WithWatch, o client.Object, opts ...client.CreateOption) error {
			count()
			return c.Create(ctx, o, opts...)
		},
		Update: func(ctx context.Context, c client.WithWatch, o client.Object, opts ...client.UpdateOption) error {
			count()
			return c.Update(ctx, o, opts...)
		},
		Patch: func(ctx context.Context, c client.WithWatch, o client.Object, p client.Patch, opts ...client.PatchOption) error {
			count()
			return c.Patch(ctx, o, p, opts...)
		},
		Apply: func(ctx context.Context, c client.WithWatch, o runtime.ApplyConfiguration, opts ...client.ApplyOption) error {
			count()
			return c.Apply(ctx, o, opts...)
		},
		Delete: func(ctx context.Context, c client.WithWatch, o client.Object, opts ...client.DeleteOption) error {
			count()
			return c.Delete(ctx, o, opts...)
		},
		SubResourceUpdate: func(ctx context.Context, c client.Client, sub string, o client.Object, opts ...client.SubResourceUpdateOption) error {
			count()
			return c.SubResource(sub).Update(ctx, o, opts...)
		},
		SubResourcePatch: func(ctx context.Context, c client.Client, sub string, o client.Object, p client.Patch, opts ...client.SubResourcePatchOption) error {
			count()
			return c.SubResource(sub).Patch(ctx, o, p, opts...)
		},
	})
}

// loopbackPolicy lets tests reach their own servers on 127.0.0.1.
var loopbackPolicy = outbound.Policy{AllowHTTPHosts: []string{"127.0.0.1"}, AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}

func requestFor(o client.Object) reconcile.Request {
	return reconcile.Request{NamespacedName: client.ObjectKeyFromObject(o)}
}

// nudge makes the initiative reconcile now, after the fake clock moved.
func nudge(t *testing.T, ns string) {
	t.Helper()
	update(t, getInitiative(NewWithT(t), ns, "customer-first"), func(o *v1alpha1.Initiative) {
		o.Annotations = map[string]string{"nudge": time.Now().String()}
	})
}
