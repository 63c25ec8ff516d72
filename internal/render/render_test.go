package render

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestMessage(t *testing.T) {
	it := &v1alpha1.Initiative{
		ObjectMeta: metav1.ObjectMeta{Name: "customer-first", Namespace: "culture"},
		Spec: v1alpha1.InitiativeSpec{Why: "Every customer should feel we are on their side.",
			Behaviors: []v1alpha1.Behavior{{Name: "close-the-loop"}}},
		Status: v1alpha1.InitiativeStatus{Stage: "Implementation", Progress: ptr.To(int32(42))},
	}
	v := v1alpha1.Decimal("66")
	inds := []v1alpha1.LeadingIndicator{
		{ObjectMeta: metav1.ObjectMeta{Name: "zeta"}, Spec: v1alpha1.LeadingIndicatorSpec{Target: v1alpha1.Target{Value: "1"}}},
		{ObjectMeta: metav1.ObjectMeta{Name: "employee-awareness"}, Spec: v1alpha1.LeadingIndicatorSpec{Target: v1alpha1.Target{Value: "75"}},
			Status: v1alpha1.LeadingIndicatorStatus{Value: &v, Health: v1alpha1.HealthAtRisk}},
	}
	tests := map[string]struct {
		tmpl, want, wantErr string
	}{
		"the issue's example": {
			tmpl: "Why we do this: {{ .Why }} — we are in {{ .Stage }}, {{ .Progress }}% of the way.",
			want: "Why we do this: Every customer should feel we are on their side. — we are in Implementation, 42% of the way.",
		},
		"indicators in a stable order": {
			tmpl: "{{ range .Indicators }}{{ .Name }}={{ .Value }}/{{ .Target }} {{ .Health }};{{ end }}",
			want: "employee-awareness=66/75 AtRisk;zeta=/1 ;",
		},
		"behaviors":     {tmpl: "{{ range .Behaviors }}{{ .Name }}{{ end }}", want: "close-the-loop"},
		"parse error":   {tmpl: "{{ .Why ", wantErr: `template: message:1: unclosed action`},
		"unknown field": {tmpl: "{{ .Mission }}", wantErr: `can't evaluate field Mission`},
		"too long":      {tmpl: `{{ range $i := .Indicators }}` + strings.Repeat("x", 5000) + `{{ end }}`, wantErr: "more than 8192"},
		"range over a number (could loop for hours)":   {tmpl: `{{ range 1000000000000 }}{{ end }}`, wantErr: "range may only go over a list field"},
		"nested numeric ranges (could exhaust memory)": {tmpl: `{{ range .Indicators }}{{ range 100000000 }}xxxxxxxx{{ end }}{{ end }}`, wantErr: "range may only go over a list field"},
		"recursion":                        {tmpl: `{{ define "a" }}{{ template "a" }}{{ end }}{{ template "a" }}`, wantErr: "not allowed"},
		"a variable over the data is fine": {tmpl: `{{ range $.Behaviors }}{{ .Name }}{{ end }}`, want: "close-the-loop"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := Message(tc.tmpl, DataFor(it, inds))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Message = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
