package tenancy

import (
	"testing"

	. "github.com/onsi/gomega"
)

func TestSelectorApplies(t *testing.T) {
	tests := map[string]struct {
		selector string            // --allow-namespace-selector
		labels   map[string]string // the namespace's labels
		missing  bool              // the namespace could not be read
		applies  bool
		invalid  bool // the flag does not parse
	}{
		"no selector: every namespace":            {labels: nil, applies: true},
		"no selector, even unreadable":            {missing: true, applies: true},
		"blank selector is no selector":           {selector: "  ", applies: true},
		"matching label":                          {selector: "momentum.dev/outbound=internal", labels: map[string]string{"momentum.dev/outbound": "internal"}, applies: true},
		"other value":                             {selector: "momentum.dev/outbound=internal", labels: map[string]string{"momentum.dev/outbound": "public"}},
		"unlabelled":                              {selector: "momentum.dev/outbound=internal"},
		"set membership":                          {selector: "team in (a,b)", labels: map[string]string{"team": "b"}, applies: true},
		"exists":                                  {selector: "internal", labels: map[string]string{"internal": ""}, applies: true},
		"negation":                                {selector: "!restricted", labels: map[string]string{"team": "a"}, applies: true},
		"negation, restricted":                    {selector: "!restricted", labels: map[string]string{"restricted": "yes"}},
		"unreadable namespace fails closed":       {selector: "team=a", missing: true},
		"several requirements must all hold":      {selector: "team=a,tier=internal", labels: map[string]string{"team": "a"}},
		"several requirements, all held":          {selector: "team=a,tier=internal", labels: map[string]string{"team": "a", "tier": "internal"}, applies: true},
		"invalid selector is an error":            {selector: "team==(", invalid: true},
		"the well-known name label picks by name": {selector: "kubernetes.io/metadata.name in (culture)", labels: map[string]string{"kubernetes.io/metadata.name": "culture"}, applies: true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			sel, err := ParseSelector(tt.selector)
			if tt.invalid {
				g.Expect(err).To(MatchError(ContainSubstring("invalid label selector")))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(Applies(sel, tt.labels, !tt.missing)).To(Equal(tt.applies))
		})
	}
}
