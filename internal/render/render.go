// Package render turns a reminder's Go text/template into the message the
// notify job delivers. Rendering happens in the controller, so that a broken
// template is reported on the initiative before any CronJob is written.
package render

import (
	"bytes"
	"fmt"
	"sort"
	"text/template"
	"text/template/parse"

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
// Anyone who may edit an Initiative writes templates that run inside the
// manager, so a template may only range over the data's lists (not over
// numbers, which could loop for hours) and may not define or call templates
// (recursion); its output stops at MaxBytes.
func Message(tmpl string, data Data) (string, error) {
	t, err := template.New("message").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		return "", err
	}
	if len(t.Templates()) > 1 {
		return "", fmt.Errorf("template: define and block are not allowed")
	}
	if err := check(t.Root); err != nil {
		return "", err
	}
	var buf limitedBuffer
	if err := t.Execute(&buf, data); err != nil {
		if buf.over {
			return "", fmt.Errorf("rendered message is more than %d bytes", MaxBytes)
		}
		return "", err
	}
	return buf.String(), nil
}

// check rejects the constructs that could make rendering unbounded.
func check(n parse.Node) error {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return nil
		}
		for _, c := range n.Nodes {
			if err := check(c); err != nil {
				return err
			}
		}
	case *parse.TemplateNode:
		return fmt.Errorf("template: {{template %q}} is not allowed", n.Name)
	case *parse.RangeNode:
		if !rangesOverField(n.Pipe) {
			return fmt.Errorf("template: range may only go over a list field such as .Indicators or .Behaviors, not %s", n.Pipe)
		}
		return checkBranch(&n.BranchNode)
	case *parse.IfNode:
		return checkBranch(&n.BranchNode)
	case *parse.WithNode:
		return checkBranch(&n.BranchNode)
	}
	return nil
}

func checkBranch(b *parse.BranchNode) error {
	if err := check(b.List); err != nil {
		return err
	}
	if b.ElseList != nil {
		return check(b.ElseList)
	}
	return nil
}

// rangesOverField reports whether a range pipeline is a single field of the
// data (.Indicators, $.Behaviors), the only lists a template can see.
func rangesOverField(p *parse.PipeNode) bool {
	if p == nil || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return false
	}
	switch a := p.Cmds[0].Args[0].(type) {
	case *parse.FieldNode:
		return true
	case *parse.VariableNode:
		return len(a.Ident) > 1 // $.Field, not a bare variable
	}
	return false
}

// limitedBuffer stops the template with an error once MaxBytes are written,
// so a runaway template cannot exhaust the manager's memory.
type limitedBuffer struct {
	bytes.Buffer
	over bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > MaxBytes {
		b.over = true
		return 0, fmt.Errorf("output limit reached")
	}
	return b.Buffer.Write(p)
}
