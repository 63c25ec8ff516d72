package main

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/plugin/view"
)

// listWatch lists and watches list's kind in ns through c, restricted by a
// field selector (empty for all).
func listWatch(c client.WithWatch, ns string, newList func() client.ObjectList, fieldSelector string) *cache.ListWatch {
	opts := func(o metav1.ListOptions) *client.ListOptions {
		if fieldSelector != "" {
			o.FieldSelector = fieldSelector
		}
		return &client.ListOptions{Namespace: ns, Raw: &o}
	}
	return &cache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, o metav1.ListOptions) (runtime.Object, error) {
			list := newList()
			err := c.List(ctx, list, opts(o))
			return list, err
		},
		WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
			return c.Watch(ctx, newList(), opts(o))
		},
	}
}

// programWatch keeps an initiative, its indicators and campaigns in
// informer stores and signals every change on changed (coalesced).
type programWatch struct {
	name                         string
	initiative, indicators, camp cache.SharedIndexInformer
	changed                      chan struct{}
}

func startWatch(ctx context.Context, c client.WithWatch, ns, name string) (*programWatch, error) {
	w := &programWatch{name: name, changed: make(chan struct{}, 1)}
	w.initiative = cache.NewSharedIndexInformer(listWatch(c, ns, func() client.ObjectList { return &v1alpha1.InitiativeList{} }, "metadata.name="+name), &v1alpha1.Initiative{}, 0, cache.Indexers{})
	w.indicators = cache.NewSharedIndexInformer(listWatch(c, ns, func() client.ObjectList { return &v1alpha1.LeadingIndicatorList{} }, "spec.initiativeRef.name="+name), &v1alpha1.LeadingIndicator{}, 0, cache.Indexers{})
	w.camp = cache.NewSharedIndexInformer(listWatch(c, ns, func() client.ObjectList { return &v1alpha1.RecognitionCampaignList{} }, ""), &v1alpha1.RecognitionCampaign{}, 0, cache.Indexers{})
	notify := cache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { w.signal() },
		UpdateFunc: func(any, any) { w.signal() },
		DeleteFunc: func(any) { w.signal() },
	}
	for _, inf := range []cache.SharedIndexInformer{w.initiative, w.indicators, w.camp} {
		if _, err := inf.AddEventHandler(notify); err != nil {
			return nil, err
		}
		go inf.RunWithContext(ctx)
	}
	if !cache.WaitForCacheSync(ctx.Done(), w.initiative.HasSynced, w.indicators.HasSynced, w.camp.HasSynced) {
		return nil, fmt.Errorf("watching initiative %s: %w", name, ctx.Err())
	}
	w.signal() // draw once, even when nothing exists yet
	return w, nil
}

func (w *programWatch) signal() {
	select {
	case w.changed <- struct{}{}:
	default:
	}
}

// program assembles the view from the stores; false while the initiative
// does not exist.
func (w *programWatch) program() (view.Program, bool) {
	its := w.initiative.GetStore().List()
	if len(its) == 0 {
		return view.Program{}, false
	}
	var inds []v1alpha1.LeadingIndicator
	for _, o := range w.indicators.GetStore().List() {
		inds = append(inds, *o.(*v1alpha1.LeadingIndicator))
	}
	var camps []v1alpha1.RecognitionCampaign
	for _, o := range w.camp.GetStore().List() {
		camps = append(camps, *o.(*v1alpha1.RecognitionCampaign))
	}
	return view.NewProgram(*its[0].(*v1alpha1.Initiative), inds, camps), true
}
