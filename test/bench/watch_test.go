package bench

import (
	"context"
	"sync"
	"testing"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// readyCount counts the objects that are Ready for their current generation.
type readyCount struct {
	mu    sync.Mutex
	ready map[string]bool
	count int
	want  int
	done  chan struct{}
}

func (r *readyCount) observe(o client.Object) {
	switch o := o.(type) {
	case *v1alpha1.Initiative:
		r.set("i/"+o.Name, meta.IsStatusConditionTrue(o.Status.Conditions, v1alpha1.ConditionReady) && o.Status.ObservedGeneration == o.Generation)
	case *v1alpha1.LeadingIndicator:
		r.set("l/"+o.Name, meta.IsStatusConditionTrue(o.Status.Conditions, v1alpha1.ConditionReady) && o.Status.ObservedGeneration == o.Generation)
	}
}

func (r *readyCount) set(key string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ready[key] != ok {
		r.ready[key] = ok
		if ok {
			r.count++
		} else {
			r.count--
		}
	}
	if r.count >= r.want {
		select {
		case <-r.done:
		default:
			close(r.done)
		}
	}
}

// watchReady closes the returned channel once want Initiatives and
// LeadingIndicators in ns are Ready for their current generation. A watch
// the API server ends (a slow reader on a busy machine) is resumed after a
// fresh list, so no change is missed.
func watchReady(ctx context.Context, b *testing.B, c client.WithWatch, ns string, want int) <-chan struct{} {
	r := &readyCount{ready: map[string]bool{}, want: want, done: make(chan struct{})}
	for _, newList := range []func() client.ObjectList{
		func() client.ObjectList { return &v1alpha1.InitiativeList{} },
		func() client.ObjectList { return &v1alpha1.LeadingIndicatorList{} },
	} {
		rv := relist(ctx, b, c, ns, newList(), r)
		go func() {
			for {
				w, err := c.Watch(ctx, newList(), client.InNamespace(ns), &client.ListOptions{Raw: &metav1.ListOptions{ResourceVersion: rv}})
				if err == nil {
					for ev := range w.ResultChan() {
						if ev.Type == watch.Error {
							break
						}
						if o, ok := ev.Object.(client.Object); ok {
							r.observe(o)
							rv = o.GetResourceVersion()
						}
					}
					w.Stop()
				}
				select {
				case <-r.done:
					return
				case <-ctx.Done():
					return
				default:
				}
				rv = relist(ctx, nil, c, ns, newList(), r)
			}
		}()
	}
	return r.done
}

// relist observes every object of list's kind in ns and returns the list's
// resourceVersion to watch from. With b nil (off the benchmark's goroutine)
// a failed list is retried by the caller's loop.
func relist(ctx context.Context, b *testing.B, c client.Client, ns string, list client.ObjectList, r *readyCount) string {
	if err := c.List(ctx, list, client.InNamespace(ns)); err != nil {
		if b != nil {
			b.Fatal(err)
		}
		return ""
	}
	_ = meta.EachListItem(list, func(o runtime.Object) error {
		if co, ok := o.(client.Object); ok {
			r.observe(co)
		}
		return nil
	})
	return list.GetResourceVersion()
}
