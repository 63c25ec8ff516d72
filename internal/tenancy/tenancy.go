// Package tenancy narrows what the manager's flags open to the namespaces a
// platform team chose: the outbound exceptions (--allow-cidr and
// --allow-http-host) apply only in namespaces that --allow-namespace-selector
// selects, so opening one internal Prometheus for one team does not open it
// for all.
package tenancy

import (
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/outbound"
)

// Exceptions says in which namespaces the outbound exceptions apply. The
// zero value applies them everywhere (the behaviour before the selector).
type Exceptions struct {
	// Selector picks the namespaces by their labels; nil means every one.
	Selector labels.Selector
	// Namespaces reads Namespaces (the manager's cache); needed with a
	// Selector.
	Namespaces client.Reader
}

// +kubebuilder:rbac:groups="",resources=namespaces,verbs=get;list;watch

// ParseSelector parses --allow-namespace-selector: empty selects every
// namespace (nil), otherwise a label selector such as
// `momentum.culture.dev/outbound=internal` or `team in (a,b)`.
func ParseSelector(s string) (labels.Selector, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	sel, err := labels.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("invalid label selector %q: %w", s, err)
	}
	if sel.Empty() {
		return nil, nil
	}
	return sel, nil
}

// Applies decides, for a namespace with nsLabels (nil when it could not be
// read), whether the exceptions apply there. An unreadable namespace gets
// none: the policy fails closed.
func Applies(sel labels.Selector, nsLabels map[string]string, found bool) bool {
	switch {
	case sel == nil:
		return true
	case !found:
		return false
	}
	return sel.Matches(labels.Set(nsLabels))
}

// applies reads the namespace when a selector needs it.
func (e Exceptions) applies(ctx context.Context, namespace string) bool {
	if e.Selector == nil {
		return true
	}
	ns := &corev1.Namespace{}
	if err := e.Namespaces.Get(ctx, client.ObjectKey{Name: namespace}, ns); err != nil {
		logf.FromContext(ctx).Info("Withheld the outbound exceptions: namespace not readable", "namespace", namespace, "reason", err.Error())
		return Applies(e.Selector, nil, false)
	}
	return Applies(e.Selector, ns.Labels, true)
}

// Withheld reports whether the selector withholds the exceptions from
// namespace: a label on the namespace, not the flags, would open them.
func (e Exceptions) Withheld(ctx context.Context, namespace string) bool {
	return !e.applies(ctx, namespace)
}

// Policy is p for namespace: without its exceptions where they do not apply.
func (e Exceptions) Policy(ctx context.Context, namespace string, p outbound.Policy) outbound.Policy {
	if !e.applies(ctx, namespace) {
		p.AllowHTTPHosts, p.AllowCIDRs = nil, nil
	}
	return p
}

// Jobs is o for namespace: delivery pods get the exceptions only where they
// apply.
func (e Exceptions) Jobs(ctx context.Context, namespace string, o cronjobs.Options) cronjobs.Options {
	if !e.applies(ctx, namespace) {
		o.AllowHTTPHosts, o.AllowCIDRs = nil, nil
	}
	return o
}
