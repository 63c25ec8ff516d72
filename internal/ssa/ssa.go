// Package ssa writes child objects with server-side apply under Momentum's
// one field owner, so that what Momentum sets is tracked field by field and
// other writers' fields are left alone.
package ssa

import (
	"context"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/internal/cronjobs"
)

// Apply applies obj (a typed object with TypeMeta set) as Momentum's field owner.
func Apply(ctx context.Context, c client.Client, obj client.Object) error {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return err
	}
	delete(m, "status")
	if md, ok := m["metadata"].(map[string]any); ok {
		delete(md, "creationTimestamp")
	}
	return c.Apply(ctx, client.ApplyConfigurationFromUnstructured(&unstructured.Unstructured{Object: m}),
		client.FieldOwner(cronjobs.FieldOwner), client.ForceOwnership)
}
