package v1alpha1

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

// crdSchema reads the generated CRD of a plural and returns its v1alpha1
// schema.
func crdSchema(g Gomega, plural string) apiextensionsv1.JSONSchemaProps {
	raw, err := os.ReadFile(filepath.Join("..", "..", "config", "crd", "bases", "culture.momentum.dev_"+plural+".yaml"))
	g.Expect(err).NotTo(HaveOccurred())
	crd := apiextensionsv1.CustomResourceDefinition{}
	g.Expect(yaml.Unmarshal(raw, &crd)).To(Succeed())
	for _, v := range crd.Spec.Versions {
		if v.Name == GroupVersion.Version {
			return *v.Schema.OpenAPIV3Schema
		}
	}
	g.Expect(crd.Spec.Versions).To(BeEmpty(), "no version %s", GroupVersion.Version)
	return apiextensionsv1.JSONSchemaProps{}
}

// at walks a dotted path of properties ("[]" steps into list items).
func at(g Gomega, s apiextensionsv1.JSONSchemaProps, path string) apiextensionsv1.JSONSchemaProps {
	for _, step := range strings.Split(path, ".") {
		if step == "[]" {
			g.Expect(s.Items).NotTo(BeNil(), "%s: no items", path)
			s = *s.Items.Schema
			continue
		}
		next, ok := s.Properties[step]
		g.Expect(ok).To(BeTrue(), "%s: no property %s", path, step)
		s = next
	}
	return s
}

// TestDefaultsAreOneTruth compares each +kubebuilder:default in the
// generated CRDs (what `kubectl get -o yaml` shows) with the Go constant
// the controllers fall back to, so the two cannot drift apart.
func TestDefaultsAreOneTruth(t *testing.T) {
	cases := map[string]struct {
		plural, path string
		want         any // the Go constant
	}{
		"historyLimit":          {plural: "leadingindicators", path: "spec.historyLimit", want: DefaultHistoryLimit},
		"failureLimit":          {plural: "leadingindicators", path: "spec.failureLimit", want: DefaultFailureLimit},
		"http interval":         {plural: "leadingindicators", path: "spec.source.http.interval", want: DefaultInterval},
		"prometheus interval":   {plural: "leadingindicators", path: "spec.source.prometheus.interval", want: DefaultInterval},
		"trendSamples of gates": {plural: "initiatives", path: "spec.stages.[].exitCriteria.indicators.[].trendSamples", want: DefaultTrendSamples},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			prop := at(g, crdSchema(g, tc.plural), tc.path)
			g.Expect(prop.Default).NotTo(BeNil(), "%s has no default marker", tc.path)
			want, err := json.Marshal(tc.want)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(string(prop.Default.Raw)).To(Equal(string(want)))
		})
	}
}

// TestCELStageListIsDefaultStages checks that the CEL rule on approvals
// lists exactly DefaultStages, in order.
func TestCELStageListIsDefaultStages(t *testing.T) {
	g := NewWithT(t)
	quoted := make([]string, 0, len(DefaultStages))
	for _, s := range DefaultStages {
		quoted = append(quoted, fmt.Sprintf("'%s'", s))
	}
	list := "[" + strings.Join(quoted, ", ") + "]"
	spec := at(g, crdSchema(g, "initiatives"), "spec")
	var rules []string
	for _, r := range spec.XValidations {
		if strings.Contains(r.Rule, "a.stage in [") {
			rules = append(rules, r.Rule)
			g.Expect(r.Rule).To(ContainSubstring("a.stage in "+list), "the rule repeats DefaultStages")
			g.Expect(r.Message).To(ContainSubstring(strings.Join(DefaultStages, ", ")))
		}
	}
	g.Expect(rules).To(HaveLen(1))
}
