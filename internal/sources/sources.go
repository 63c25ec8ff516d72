// Package sources measures leading indicators from live systems: a number
// from a JSON API, an instant PromQL query, or a RecognitionCampaign.
//
// Sources are configured by users and read with their credentials, so every
// outbound call goes through outbound.Policy (SSRF-safe) and every error is
// an *Error whose text never contains a Secret value, a response body or a
// URL.
package sources

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/outbound"
	"github.com/momentum-dev/momentum/internal/secrets"
)

// SecretGetter reads a Secret of the indicator's namespace by name. The
// caller passes an uncached API reader so that the manager need not watch
// (and cache) every Secret of the cluster.
type SecretGetter func(ctx context.Context, name string) (*corev1.Secret, error)

// Measurer measures live sources through the outbound policy.
type Measurer struct {
	// Policy decides which destinations may be reached.
	Policy outbound.Policy
}

// getSecret reads a Secret, describing failures by name and API reason only:
// the getter's error text is not ours to vouch for.
func getSecret(ctx context.Context, getter SecretGetter, name string) (*corev1.Secret, error) {
	if getter == nil {
		return nil, newError(ClassSecretNotFound, fmt.Sprintf("Secret %q cannot be read: no Secret reader", name))
	}
	s, err := getter(ctx, name)
	switch {
	case apierrors.IsNotFound(err):
		return nil, &Error{Class: ClassSecretNotFound, Detail: fmt.Sprintf("Secret %q not found", name), cause: err}
	case err != nil:
		reason := apierrors.ReasonForError(err)
		if reason == "" {
			reason = "error"
		}
		return nil, &Error{Class: ClassSourceUnavailable, Detail: fmt.Sprintf("Secret %q cannot be read (%s)", name, reason)}
	case s == nil:
		return nil, newError(ClassSecretNotFound, fmt.Sprintf("Secret %q not found", name))
	}
	return s, nil
}

// usableSecret reads a Secret and checks, at request time, that its owner
// labelled it for purpose and lets it go to host: the user chose the URL,
// so only a Secret its owner opted in for this use may go there.
func usableSecret(ctx context.Context, getter SecretGetter, name, purpose, host string) (*corev1.Secret, error) {
	s, err := getSecret(ctx, getter, name)
	if err != nil {
		return nil, err
	}
	if v := secrets.Usable(name, s.Labels, purpose); v.Refusal != "" {
		return nil, newError(ClassSecretNotUsable, v.Refusal)
	}
	if refusal := secrets.HostAllowed(name, s.Annotations, host); refusal != "" {
		return nil, newError(ClassSecretNotUsable, refusal)
	}
	return s, nil
}

// secretHeaders turns every key of the Secret into a request header. Names
// and values are checked here so that net/http never reports (and thereby
// quotes) an invalid one.
func secretHeaders(ctx context.Context, getter SecretGetter, name, host string, h http.Header) error {
	s, err := usableSecret(ctx, getter, name, v1alpha1.PurposeHTTPHeaders, host)
	if err != nil {
		return err
	}
	for key, raw := range s.Data {
		// Values written from files often end in a newline.
		value := strings.TrimSpace(string(raw))
		if !httpguts.ValidHeaderFieldName(key) {
			return newError(ClassSecretNotUsable, fmt.Sprintf("Secret %q key %q is not a valid header name", name, key))
		}
		if !httpguts.ValidHeaderFieldValue(value) {
			return newError(ClassSecretNotUsable, fmt.Sprintf("Secret %q key %q does not hold a valid header value", name, key))
		}
		h.Set(key, value)
	}
	return nil
}

// secretToken returns one key of a Secret labelled for bearer tokens.
func secretToken(ctx context.Context, getter SecretGetter, name, key, host string) ([]byte, error) {
	s, err := usableSecret(ctx, getter, name, v1alpha1.PurposePrometheusToken, host)
	if err != nil {
		return nil, err
	}
	v, ok := s.Data[key]
	if !ok {
		return nil, newError(ClassSecretNotFound, fmt.Sprintf("Secret %q has no key %q", name, key))
	}
	return v, nil
}

// Interval is how often a live source is measured: its interval, or
// v1alpha1.DefaultInterval when it sets none (or zero). A derived source
// (recognition, commitments, assessment) has no interval of its own and
// uses the default too.
func Interval(src *v1alpha1.IndicatorSource) time.Duration {
	var d time.Duration
	switch {
	case src == nil:
	case src.HTTP != nil && src.HTTP.Interval != nil:
		d = src.HTTP.Interval.Duration
	case src.Prometheus != nil && src.Prometheus.Interval != nil:
		d = src.Prometheus.Interval.Duration
	}
	if d <= 0 {
		d, _ = time.ParseDuration(v1alpha1.DefaultInterval)
	}
	return d
}
