// Package render turns a reminder's Go text/template into the message the
// notify job delivers. Rendering happens in the controller, so that a broken
// template is reported on the initiative before any CronJob is written.
package render

import (
	"bytes"
	"fmt"
	"sort"
	"text/template"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// MaxBytes bounds a rendered message (it travels in the CronJob's pod template).
const MaxBytes = 8192

// Data is what a template sees.
type Data struct {
	Name, Namespace string
	Why             string
	Stage           string
	Progress        int32
	CoreValues      []string
	Sponsors        []string
	Behaviors       []Behavior
	Indicators      []Indicator
}

// Behavior is a behavior of the initiative.
type Behavior struct{ Name, Description string }

// Indicator is a leading indicator of the initiative as it stands.
type Indicator struct {
	Name, Category, Unit string
	Value, Target        string
	Health, Trend        string
}

// DataFor builds the template data of an initiative and its indicators, in a
// stable order so that the same state always renders the same text.
func DataFor(it *v1alpha1.Initiative, indicators []v1alpha1.LeadingIndicator) Data {
	d := Data{
		Name: it.Name, Namespace: it.Namespace, Why: it.Spec.Why, Stage: it.Status.Stage,
		CoreValues: it.Spec.CoreValues,
	}
	if it.Status.Progress != nil {
		d.Progress = *it.Status.Progress
	}
	for _, s := range it.Spec.Sponsors {
		d.Sponsors = append(d.Sponsors, s.Name)
	}
	for _, b := range it.Spec.Behaviors {
		d.Behaviors = append(d.Behaviors, Behavior{Name: b.Name, Description: b.Description})
	}
	for _, ind := range indicators {
		v := Indicator{Name: ind.Name, Category: string(ind.Spec.Category), Unit: ind.Spec.Unit,
			Target: ind.Spec.Target.Value.String(), Health: string(ind.Status.Health), Trend: string(ind.Status.Trend)}
		if ind.Status.Value != nil {
			v.Value = ind.Status.Value.String()
		}
		d.Indicators = append(d.Indicators, v)
	}
	sort.Slice(d.Indicators, func(i, j int) bool { return d.Indicators[i].Name < d.Indicators[j].Name })
	return d
}

// Message renders tmpl over data. Unknown fields are errors, not blanks.
func Message(tmpl string, data Data) (string, error) {
	t, err := template.New("message").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return "", err
	}
	if buf.Len() > MaxBytes {
		return "", fmt.Errorf("rendered message is %d bytes, more than %d", buf.Len(), MaxBytes)
	}
	return buf.String(), nil
}
