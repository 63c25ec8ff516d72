// Package render turns a reminder's Go text/template into the message the
// notify job delivers. Rendering happens in the controller, so that a broken
// template is reported on the initiative before any CronJob is written.
package render

import (
	"bytes"
	"fmt"
	"sort"
	"text/template"
	"time"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

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
// stable order so that the same state always renders the same text. A
// template sees the first MaxIndicators indicators by name.
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
	// The static step bound counts on these sizes: the API bounds the spec's
	// lists, nothing bounds how many indicators a namespace holds.
	d.CoreValues, d.Sponsors = trim(d.CoreValues, "CoreValues"), trim(d.Sponsors, "Sponsors")
	d.Behaviors, d.Indicators = trim(d.Behaviors, "Behaviors"), trim(d.Indicators, "Indicators")
	return d
}

// trim keeps the first listSizes[name] items of a list.
func trim[T any](items []T, name string) []T {
	if n := listSizes[name]; len(items) > n {
		return items[:n]
	}
	return items
}

// Message renders tmpl over data. Unknown fields are errors, not blanks.
// Anyone who may edit an Initiative writes templates that run inside the
// manager, so a template beyond the bounds (bounds.go) is an error naming
// the bound, before anything runs: it may only call functions whose results
// are no larger than their arguments, range only over the data's lists,
// nest at most MaxRangeDepth ranges and MaxNesting blocks, take at most
// MaxSteps in the worst case, and not define or call templates (recursion).
// Its output stops at MaxBytes and its time at Timeout.
func Message(tmpl string, data Data) (string, error) {
	return message(tmpl, data, time.Now)
}

func message(tmpl string, data Data, now func() time.Time) (string, error) {
	t, err := template.New("message").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		return "", err
	}
	if len(t.Templates()) > 1 {
		return "", fmt.Errorf("template: define and block are not allowed")
	}
	if err := checkBounds(tmpl, t.Root); err != nil {
		return "", err
	}
	buf := budgetWriter{now: now, deadline: now().Add(Timeout)}
	if err := t.Execute(&buf, data); err != nil {
		if buf.err != nil {
			return "", buf.err
		}
		return "", err
	}
	return buf.String(), nil
}

var (
	errTooLong = fmt.Errorf("template: rendered message is more than %d bytes", MaxBytes)
	errTimeout = fmt.Errorf("template: rendering took longer than %s", Timeout)
)

// budgetWriter stops the template with an error once MaxBytes are written
// or its deadline passed, so a runaway template cannot exhaust the
// manager's memory or hold a worker.
type budgetWriter struct {
	bytes.Buffer
	now      func() time.Time
	deadline time.Time
	err      error
}

func (b *budgetWriter) Write(p []byte) (int, error) {
	switch {
	case b.Len()+len(p) > MaxBytes:
		b.err = errTooLong
	case b.now().After(b.deadline):
		b.err = errTimeout
	default:
		return b.Buffer.Write(p)
	}
	return 0, b.err
}
