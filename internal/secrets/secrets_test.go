package secrets

import (
	"testing"

	. "github.com/onsi/gomega"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestUsable(t *testing.T) {
	tests := map[string]struct {
		labels  map[string]string // the Secret's labels
		purpose string            // what the caller wants to use it for
		// refusal is a substring of the expected refusal; empty: usable.
		refusal    string
		deprecated bool // usable only through the legacy label
	}{
		"declared purpose":                      {labels: map[string]string{v1alpha1.LabelUsableFor: "http-headers"}, purpose: v1alpha1.PurposeHTTPHeaders},
		"channel":                               {labels: map[string]string{v1alpha1.LabelUsableFor: "channel"}, purpose: v1alpha1.PurposeChannel},
		"prometheus token":                      {labels: map[string]string{v1alpha1.LabelUsableFor: "prometheus-token"}, purpose: v1alpha1.PurposePrometheusToken},
		"channel Secret as headers":             {labels: map[string]string{v1alpha1.LabelUsableFor: "channel"}, purpose: v1alpha1.PurposeHTTPHeaders, refusal: "Secret s is labelled usable-for=channel; label it culture.momentum.dev/usable-for=http-headers to send its keys as this source's HTTP headers"},
		"channel Secret as token":               {labels: map[string]string{v1alpha1.LabelUsableFor: "channel"}, purpose: v1alpha1.PurposePrometheusToken, refusal: "usable-for=prometheus-token to send it as this source's bearer token"},
		"headers Secret as channel":             {labels: map[string]string{v1alpha1.LabelUsableFor: "http-headers"}, purpose: v1alpha1.PurposeChannel, refusal: "is labelled usable-for=http-headers; label it culture.momentum.dev/usable-for=channel"},
		"unknown label value":                   {labels: map[string]string{v1alpha1.LabelUsableFor: "everything"}, purpose: v1alpha1.PurposeChannel, refusal: "is labelled usable-for=everything"},
		"empty label value":                     {labels: map[string]string{v1alpha1.LabelUsableFor: ""}, purpose: v1alpha1.PurposeChannel, refusal: "is labelled usable-for="},
		"legacy label for a channel":            {labels: map[string]string{v1alpha1.LabelUsable: "true"}, purpose: v1alpha1.PurposeChannel, deprecated: true},
		"legacy label as headers":               {labels: map[string]string{v1alpha1.LabelUsable: "true"}, purpose: v1alpha1.PurposeHTTPHeaders, refusal: "labelled only culture.momentum.dev/usable=true, which is deprecated and accepted for channels only"},
		"legacy label as token":                 {labels: map[string]string{v1alpha1.LabelUsable: "true"}, purpose: v1alpha1.PurposePrometheusToken, refusal: "accepted for channels only"},
		"legacy label false":                    {labels: map[string]string{v1alpha1.LabelUsable: "false"}, purpose: v1alpha1.PurposeChannel, refusal: "is not labelled culture.momentum.dev/usable-for"},
		"both labels, new one wins":             {labels: map[string]string{v1alpha1.LabelUsable: "true", v1alpha1.LabelUsableFor: "channel"}, purpose: v1alpha1.PurposeChannel},
		"both labels, new one refuses":          {labels: map[string]string{v1alpha1.LabelUsable: "true", v1alpha1.LabelUsableFor: "prometheus-token"}, purpose: v1alpha1.PurposeChannel, refusal: "is labelled usable-for=prometheus-token"},
		"no labels":                             {purpose: v1alpha1.PurposeHTTPHeaders, refusal: "Secret s is not labelled culture.momentum.dev/usable-for; label it culture.momentum.dev/usable-for=http-headers"},
		"unknown purpose is refused everywhere": {labels: map[string]string{v1alpha1.LabelUsableFor: "x"}, purpose: "x", refusal: "unknown purpose"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			v := Usable("s", tt.labels, tt.purpose)
			if tt.refusal == "" {
				g.Expect(v.Refusal).To(BeEmpty())
			} else {
				g.Expect(v.Refusal).To(ContainSubstring(tt.refusal))
			}
			g.Expect(v.Deprecated).To(Equal(tt.deprecated))
		})
	}
}

func TestHostAllowed(t *testing.T) {
	tests := map[string]struct {
		annotations map[string]string // the Secret's annotations
		host        string            // the request URL's host
		allowed     bool
	}{
		"no annotation allows any host": {host: "attacker.example", allowed: true},
		"listed host":                   {annotations: map[string]string{v1alpha1.AnnotationAllowedHosts: "feedback.example.com"}, host: "feedback.example.com", allowed: true},
		"one of several, spaced":        {annotations: map[string]string{v1alpha1.AnnotationAllowedHosts: "a.example, feedback.example.com ,b.example"}, host: "feedback.example.com", allowed: true},
		"case and root dot":             {annotations: map[string]string{v1alpha1.AnnotationAllowedHosts: "Feedback.Example.COM."}, host: "feedback.example.com", allowed: true},
		"IP literal":                    {annotations: map[string]string{v1alpha1.AnnotationAllowedHosts: "127.0.0.1"}, host: "127.0.0.1", allowed: true},
		"other host":                    {annotations: map[string]string{v1alpha1.AnnotationAllowedHosts: "feedback.example.com"}, host: "attacker.example"},
		"suffix is not a match":         {annotations: map[string]string{v1alpha1.AnnotationAllowedHosts: "example.com"}, host: "evil-example.com"},
		"subdomain is not a match":      {annotations: map[string]string{v1alpha1.AnnotationAllowedHosts: "example.com"}, host: "a.example.com"},
		"empty annotation allows none":  {annotations: map[string]string{v1alpha1.AnnotationAllowedHosts: ""}, host: "feedback.example.com"},
		"only commas allow none":        {annotations: map[string]string{v1alpha1.AnnotationAllowedHosts: " , ,"}, host: ""},
		"empty host never matches":      {annotations: map[string]string{v1alpha1.AnnotationAllowedHosts: "a.example"}, host: ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			refusal := HostAllowed("s", tt.annotations, tt.host)
			if tt.allowed {
				g.Expect(refusal).To(BeEmpty())
				return
			}
			g.Expect(refusal).To(ContainSubstring("Secret s may only be sent to the hosts its culture.momentum.dev/allowed-hosts annotation lists"))
			if tt.host != "" {
				g.Expect(refusal).NotTo(ContainSubstring(tt.host), "the destination stays out of messages")
			}
		})
	}
}
