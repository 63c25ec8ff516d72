package leadingindicator

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/outbound"
	"github.com/momentum-dev/momentum/internal/secrets"
)

// secretUse says which Secret a source sends, for what, and where.
func secretUse(src *v1alpha1.IndicatorSource) (name, purpose, address string) {
	switch {
	case src == nil:
	case src.HTTP != nil && src.HTTP.HeadersSecretRef != nil:
		return src.HTTP.HeadersSecretRef.Name, v1alpha1.PurposeHTTPHeaders, src.HTTP.URL
	case src.Prometheus != nil && src.Prometheus.BearerTokenSecretRef != nil:
		return src.Prometheus.BearerTokenSecretRef.Name, v1alpha1.PurposePrometheusToken, src.Prometheus.Address
	}
	return "", "", ""
}

// secretRefusal checks, before anything is requested, that the Secret the
// source sends is labelled for this use and may go to the source's host
// (the sources check again at request time). A missing Secret is left to
// the measurement, which counts it as a failure.
func (r *Reconciler) secretRefusal(ctx context.Context, obj *v1alpha1.LeadingIndicator) (string, error) {
	name, purpose, address := secretUse(obj.Spec.Source)
	if name == "" {
		return "", nil
	}
	s := &corev1.Secret{}
	err := r.Secrets.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: name}, s)
	switch {
	case apierrors.IsNotFound(err):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("reading Secret %s: %s", name, apierrors.ReasonForError(err))
	}
	if v := secrets.Usable(name, s.Labels, purpose); v.Refusal != "" {
		return v.Refusal, nil
	}
	return secrets.HostAllowed(name, s.Annotations, outbound.Host(address)), nil
}
