package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// objectSizes is the mean size of an Initiative and of a LeadingIndicator
// in ns as JSON, without managedFields (as the manager caches them) and, of
// that, their status: what each cached object costs before decoding.
func objectSizes(ctx context.Context, b *testing.B, c client.Client, ns string) string {
	out := ""
	for _, list := range []client.ObjectList{&v1alpha1.InitiativeList{}, &v1alpha1.LeadingIndicatorList{}} {
		if err := c.List(ctx, list, client.InNamespace(ns), client.Limit(100)); err != nil {
			b.Fatal(err)
		}
		var kind string
		var total, status, n int
		add := func(o client.Object, st any) {
			o.SetManagedFields(nil)
			all, _ := json.Marshal(o)
			s, _ := json.Marshal(st)
			total, status, n = total+len(all), status+len(s), n+1
		}
		switch l := list.(type) {
		case *v1alpha1.InitiativeList:
			kind = "Initiative"
			for i := range l.Items {
				add(&l.Items[i], l.Items[i].Status)
			}
		case *v1alpha1.LeadingIndicatorList:
			kind = "LeadingIndicator"
			for i := range l.Items {
				add(&l.Items[i], l.Items[i].Status)
			}
		}
		if n > 0 {
			out += fmt.Sprintf("%s %d B (status %d B); ", kind, total/n, status/n)
		}
	}
	return out
}
