// Package secrets decides whether a Secret may be used for a purpose and
// sent to a host. It is the one place that reads the opt-in labels and
// annotations a Secret's owner sets; the Channel controller and the
// indicator sources both ask it.
//
// Every message names the Secret and its labels, never its contents or the
// destination (a Channel's address is itself a secret).
package secrets

import (
	"fmt"
	"strings"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// Verdict is whether a Secret may be used for a purpose.
type Verdict struct {
	// Refusal says why the Secret may not be used and how to fix it; empty
	// when it may.
	Refusal string
	// Deprecated is true when the Secret is usable only through the
	// deprecated culture.momentum.dev/usable=true label.
	Deprecated bool
}

// uses says what each purpose does with a Secret, for messages.
var uses = map[string]string{
	v1alpha1.PurposeChannel:         "to deliver this Channel's messages with it",
	v1alpha1.PurposeHTTPHeaders:     "to send its keys as this source's HTTP headers",
	v1alpha1.PurposePrometheusToken: "to send it as this source's bearer token",
}

// Usable decides whether the Secret name with labels may be used for
// purpose. The owner states one purpose with culture.momentum.dev/usable-for;
// the deprecated culture.momentum.dev/usable=true is accepted for channels
// only, since that is all it was ever meant for.
func Usable(name string, labels map[string]string, purpose string) Verdict {
	use := uses[purpose]
	if use == "" {
		return Verdict{Refusal: fmt.Sprintf("Secret %s cannot be used for unknown purpose %q", name, purpose)}
	}
	fix := fmt.Sprintf("label it %s=%s %s", v1alpha1.LabelUsableFor, purpose, use)
	declared, labelled := labels[v1alpha1.LabelUsableFor]
	legacy := labels[v1alpha1.LabelUsable] == "true"
	switch {
	case labelled && declared == purpose:
		return Verdict{}
	case labelled:
		return Verdict{Refusal: fmt.Sprintf("Secret %s is labelled usable-for=%s; %s", name, declared, fix)}
	case legacy && purpose == v1alpha1.PurposeChannel:
		return Verdict{Deprecated: true}
	case legacy:
		return Verdict{Refusal: fmt.Sprintf("Secret %s is labelled only %s=true, which is deprecated and accepted for channels only; %s",
			name, v1alpha1.LabelUsable, fix)}
	}
	return Verdict{Refusal: fmt.Sprintf("Secret %s is not labelled %s; %s (its owner opts in, so nobody can have Momentum send someone else's Secret)",
		name, v1alpha1.LabelUsableFor, fix)}
}

// HostAllowed returns a refusal when the Secret's allowed-hosts annotation
// exists and does not list host; empty when the Secret may go there. An
// annotation that lists nothing allows nothing (it fails closed).
func HostAllowed(name string, annotations map[string]string, host string) string {
	list, ok := annotations[v1alpha1.AnnotationAllowedHosts]
	if !ok {
		return ""
	}
	host = normalize(host)
	for h := range strings.SplitSeq(list, ",") {
		if h = normalize(h); h != "" && h == host {
			return ""
		}
	}
	return fmt.Sprintf("Secret %s may only be sent to the hosts its %s annotation lists, and this destination is not one of them: add its host there or use another Secret",
		name, v1alpha1.AnnotationAllowedHosts)
}

// normalize makes hostnames comparable: no surrounding space, lower case,
// no trailing root dot.
func normalize(h string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
}
