// Package sources measures leading indicators from live systems: a number
// from a JSON API, an instant PromQL query, or a RecognitionCampaign.
//
// Sources are configured by users and read with their credentials, so every
// outbound call goes through outbound.Policy (SSRF-safe) and every error is
// an *Error whose text never contains a Secret value, a response body or a
// URL.
package sources

import (
	"github.com/momentum-dev/momentum/api/v1alpha1"

	"context"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/net/http/httpguts"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/momentum-dev/momentum/internal/outbound"
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
func getSecret(ctx context.Context, secrets SecretGetter, name string) (*corev1.Secret, error) {
	if secrets == nil {
		return nil, newError(ClassSecretNotFound, fmt.Sprintf("Secret %q cannot be read: no Secret reader", name))
	}
	s, err := secrets(ctx, name)
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
	case s.Labels[v1alpha1.LabelUsable] != "true":
		// The user chose the URL: only a Secret its owner opted in may go there.
		return nil, newError(ClassInvalidSpec, fmt.Sprintf("Secret %q is not labelled %s=true", name, v1alpha1.LabelUsable))
	}
	return s, nil
}

// secretHeaders turns every key of the Secret into a request header. Names
// and values are checked here so that net/http never reports (and thereby
// quotes) an invalid one.
func secretHeaders(ctx context.Context, secrets SecretGetter, name string, h http.Header) error {
	s, err := getSecret(ctx, secrets, name)
	if err != nil {
		return err
	}
	for key, raw := range s.Data {
		// Values written from files often end in a newline.
		value := strings.TrimSpace(string(raw))
		if !httpguts.ValidHeaderFieldName(key) {
			return newError(ClassInvalidSpec, fmt.Sprintf("Secret %q key %q is not a valid header name", name, key))
		}
		if !httpguts.ValidHeaderFieldValue(value) {
			return newError(ClassInvalidSpec, fmt.Sprintf("Secret %q key %q does not hold a valid header value", name, key))
		}
		h.Set(key, value)
	}
	return nil
}

// secretValue returns one key of a Secret.
func secretValue(ctx context.Context, secrets SecretGetter, name, key string) ([]byte, error) {
	s, err := getSecret(ctx, secrets, name)
	if err != nil {
		return nil, err
	}
	v, ok := s.Data[key]
	if !ok {
		return nil, newError(ClassSecretNotFound, fmt.Sprintf("Secret %q has no key %q", name, key))
	}
	return v, nil
}
