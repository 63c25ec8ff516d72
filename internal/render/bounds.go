package render

import (
	"fmt"
	"sort"
	"strings"
	"text/template/parse"
	"time"
)

// Bounds of rendering. Anyone who may edit an Initiative writes templates that
// run inside the manager, so whatever a template says, rendering one takes at
// most MaxSteps evaluation steps over values no larger than the data, and
// writes at most MaxBytes. The static check enforces the first before
// anything runs; the output writer enforces the second and the Timeout.
const (
	// MaxBytes bounds a rendered message (it travels in the CronJob's pod template).
	MaxBytes = 8192
	// MaxNesting bounds how deep if, with and range may be nested.
	MaxNesting = 8
	// MaxRangeDepth bounds how many ranges may be nested in one another.
	MaxRangeDepth = 2
	// MaxSteps bounds the worst-case number of evaluation steps (actions,
	// text, commands and arguments), with each range repeating its body as
	// often as its list may have items (listSizes).
	MaxSteps = 20_000
	// MaxIndicators is the most indicators a template sees (by name); the
	// API bounds the other lists.
	MaxIndicators = 100
	// Timeout bounds a render; the output writer checks it on every write.
	Timeout = time.Second
)

// listSizes are the lists a template may range over, with the most items
// each may hold: the API's maxItems, and MaxIndicators. DataFor trims to them.
var listSizes = map[string]int{
	"Behaviors":  50,
	"CoreValues": 20,
	"Sponsors":   20,
	"Indicators": MaxIndicators,
}

// allowedFuncs are the functions a template may call: each returns a bool,
// a number, one of its arguments or a part of one, so no value a template
// holds (in a variable or a pipeline) is ever larger than the data. printf,
// print, println, html, js and urlquery build new strings (printf with a
// width of 10^9 allocates a gigabyte; results fed back through variables
// double in size each time) and call calls arbitrary functions.
var allowedFuncs = map[string]bool{
	"and": true, "or": true, "not": true, "len": true, "index": true, "slice": true,
	"eq": true, "ne": true, "lt": true, "le": true, "gt": true, "ge": true,
}

// checkBounds reports the first bound the template src, parsed into root,
// exceeds, or nil.
func checkBounds(src string, root *parse.ListNode) error {
	_, err := checker{src: src}.listSteps(root, 0, 0)
	return err
}

// checker walks a parse tree; src is the template text it was parsed from.
type checker struct{ src string }

// listSteps returns the worst-case steps of a list of nodes at a nesting
// depth, inside ranges enclosing ranges.
func (c checker) listSteps(l *parse.ListNode, depth, ranges int) (int, error) {
	if l == nil {
		return 0, nil
	}
	total := 0
	for _, n := range l.Nodes {
		s, err := c.nodeSteps(n, depth, ranges)
		if err != nil {
			return 0, err
		}
		if total += s; total > MaxSteps {
			return 0, errSteps
		}
	}
	return total, nil
}

func (c checker) nodeSteps(n parse.Node, depth, ranges int) (int, error) {
	switch n := n.(type) {
	case *parse.ActionNode:
		s, err := pipeSteps(n.Pipe)
		return 1 + s, err
	case *parse.IfNode:
		return c.branchSteps(&n.BranchNode, depth, ranges, ranges, 1)
	case *parse.WithNode:
		return c.branchSteps(&n.BranchNode, depth, ranges, ranges, 1)
	case *parse.RangeNode:
		size, err := rangeSize(n.Pipe)
		if err != nil {
			return 0, err
		}
		if ranges+1 > MaxRangeDepth {
			return 0, fmt.Errorf("template: ranges are nested %d deep; at most %d may be nested", ranges+1, MaxRangeDepth)
		}
		return c.branchSteps(&n.BranchNode, depth, ranges+1, ranges, size)
	case *parse.TemplateNode:
		return 0, fmt.Errorf("template: {{template %q}} is not allowed", n.Name)
	case *parse.CommentNode:
		return 0, nil
	}
	return 1, nil // text, break, continue
}

// branchSteps counts an if, with or range: its pipeline, its body times
// the most repetitions, and its else (an {{else if}} chain stays at the
// same depth).
func (c checker) branchSteps(b *parse.BranchNode, depth, bodyRanges, elseRanges, times int) (int, error) {
	depth++
	if depth > MaxNesting {
		return 0, fmt.Errorf("template: if, with and range are nested %d deep; at most %d are allowed", depth, MaxNesting)
	}
	p, err := pipeSteps(b.Pipe)
	if err != nil {
		return 0, err
	}
	body, err := c.listSteps(b.List, depth, bodyRanges)
	if err != nil {
		return 0, err
	}
	elseDepth := depth
	if c.chained(b.ElseList) {
		elseDepth-- // {{else if}}: the parser nests an if in the else, one level deeper
	}
	els, err := c.listSteps(b.ElseList, elseDepth, elseRanges)
	if err != nil {
		return 0, err
	}
	if total := p + times*body + els; total <= MaxSteps {
		return total, nil
	}
	return 0, errSteps
}

// chained reports whether an else list is the if or with of an {{else if}}
// or {{else with}}: the parser starts that list at the keyword itself,
// where a plain {{else}}'s list starts at the text or action after it.
func (c checker) chained(l *parse.ListNode) bool {
	if l == nil || len(l.Nodes) != 1 || int(l.Pos) >= len(c.src) {
		return false
	}
	if t := l.Nodes[0].Type(); t != parse.NodeIf && t != parse.NodeWith {
		return false
	}
	rest := c.src[l.Pos:]
	return strings.HasPrefix(rest, "if") || strings.HasPrefix(rest, "with")
}

// pipeSteps counts a pipeline's commands and arguments and refuses
// functions outside allowedFuncs.
func pipeSteps(p *parse.PipeNode) (int, error) {
	if p == nil {
		return 0, nil
	}
	total := 0
	for _, c := range p.Cmds {
		total++
		for _, a := range c.Args {
			s, err := argSteps(a)
			if err != nil {
				return 0, err
			}
			total += s
		}
	}
	return total, nil
}

func argSteps(a parse.Node) (int, error) {
	switch a := a.(type) {
	case *parse.IdentifierNode:
		if !allowedFuncs[a.Ident] {
			return 0, fmt.Errorf("template: function %s is not allowed (allowed: %s); write text and fields directly", a.Ident, allowedList())
		}
	case *parse.PipeNode:
		s, err := pipeSteps(a)
		return 1 + s, err
	case *parse.ChainNode:
		s, err := argSteps(a.Node)
		return 1 + s, err
	}
	return 1, nil
}

// rangeSize returns the most items the list a range goes over may hold. A
// range may only go over one of the data's lists (.Indicators inside the
// top level, $.Behaviors anywhere), never over a number (which could loop
// for hours) or a variable.
func rangeSize(p *parse.PipeNode) (int, error) {
	name := ""
	if p != nil && len(p.Cmds) == 1 && len(p.Cmds[0].Args) == 1 {
		switch a := p.Cmds[0].Args[0].(type) {
		case *parse.FieldNode:
			if len(a.Ident) == 1 {
				name = a.Ident[0]
			}
		case *parse.VariableNode:
			if len(a.Ident) == 2 && a.Ident[0] == "$" {
				name = a.Ident[1]
			}
		}
	}
	if size, ok := listSizes[name]; ok {
		return size, nil
	}
	return 0, fmt.Errorf("template: range may only go over a list field (%s), not %s", listNames(), p)
}

var errSteps = fmt.Errorf("template: more than %d steps in the worst case (each range repeats its body once per item, up to %s); nest fewer ranges or shorten their bodies", MaxSteps, listNames())

func allowedList() string {
	names := make([]string, 0, len(allowedFuncs))
	for n := range allowedFuncs {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func listNames() string {
	names := make([]string, 0, len(listSizes))
	for n, size := range listSizes {
		names = append(names, fmt.Sprintf(".%s %d", n, size))
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
