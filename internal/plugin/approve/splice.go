package approve

import (
	"fmt"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// splitLines splits data into lines that keep their newline.
func splitLines(data []byte) []string {
	lines := strings.SplitAfter(string(data), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// insertAfter puts text after line n (1-based).
func insertAfter(lines []string, n int, text string) []byte {
	out := append([]string{}, lines[:n]...)
	if n > 0 && !strings.HasSuffix(out[n-1], "\n") {
		out[n-1] += "\n"
	}
	out = append(out, text)
	out = append(out, lines[n:]...)
	return []byte(strings.Join(out, ""))
}

// lastLine is the last line n or anything under it occupies.
func lastLine(n *yaml.Node) int {
	end := n.Line
	if n.Kind == yaml.ScalarNode && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		end += strings.Count(strings.TrimRight(n.Value, "\n"), "\n") + 1
	}
	for _, c := range n.Content {
		end = max(end, lastLine(c))
	}
	return end
}

// dashIndent is the indentation of the "- " that starts item.
func dashIndent(lines []string, item *yaml.Node) string {
	line := lines[item.Line-1]
	col := min(item.Column-1, len(line))
	i := strings.LastIndex(line[:col], "-")
	if i < 0 {
		return strings.Repeat(" ", max(0, col-2))
	}
	return strings.Repeat(" ", i)
}

// appendToSequence adds the approval after the last item of a block
// sequence, in the style of its items.
func appendToSequence(lines []string, seq *yaml.Node, a Approval) []byte {
	if len(seq.Content) == 0 {
		return insertAfter(lines, seq.Line, "- "+entry(a.Stage, a.By)+"\n")
	}
	first := seq.Content[0]
	indent := dashIndent(lines, first)
	text := indent + "- " + entry(a.Stage, a.By) + "\n"
	if first.Style&yaml.FlowStyle == 0 {
		text = fmt.Sprintf("%s- stage: %s\n%s  approvedBy: %s\n", indent, scalar(a.Stage), indent, scalar(a.By))
	}
	return insertAfter(lines, lastLine(seq), text)
}

// appendToMapping adds spec.approvals after the last line of spec, with
// the sequence indentation the file uses elsewhere in spec.
func appendToMapping(lines []string, spec *yaml.Node, a Approval) []byte {
	keyIndent := strings.Repeat(" ", spec.Content[0].Column-1)
	seqIndent := keyIndent
	for i := 1; i < len(spec.Content); i += 2 {
		v := spec.Content[i]
		if v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 {
			seqIndent = dashIndent(lines, v.Content[0])
			break
		}
	}
	text := keyIndent + "approvals:\n" + seqIndent + "- " + entry(a.Stage, a.By) + "\n"
	return insertAfter(lines, lastLine(spec), text)
}

// rewriteFlow rewrites a one-line flow sequence (such as `approvals: []`)
// with the approval added, keeping what precedes it and a trailing comment.
func rewriteFlow(lines []string, seq *yaml.Node, a Approval) ([]byte, error) {
	if lastLine(seq) != seq.Line {
		return nil, fmt.Errorf("spec.approvals is a flow sequence over several lines; add %s to it by hand", entry(a.Stage, a.By))
	}
	line := lines[seq.Line-1]
	start := seq.Column - 1
	end := strings.LastIndex(line, "]")
	if end < start {
		return nil, fmt.Errorf("spec.approvals: cannot find the end of the flow sequence")
	}
	items := make([]string, 0, len(seq.Content)+1)
	for _, item := range seq.Content {
		items = append(items, entry(value(get(item, "stage")), value(get(item, "approvedBy"))))
	}
	items = append(items, entry(a.Stage, a.By))
	out := append([]string{}, lines...)
	out[seq.Line-1] = line[:start] + "[" + strings.Join(items, ", ") + "]" + line[end+1:]
	return []byte(strings.Join(out, "")), nil
}
