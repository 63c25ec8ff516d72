// Package approve records an approval of leaving a stage the GitOps way: as
// a change to the Initiative manifest, printed as a patch or made in place
// without disturbing the file's comments and formatting.
package approve

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Approval is who approves leaving which stage of which initiative.
type Approval struct {
	Namespace, Initiative, Stage, By string
}

// Patch is the manifest fragment to commit: a merge patch of the
// Initiative that adds the approval (spec.approvals is a map keyed by stage).
func Patch(a Approval) string {
	ns := ""
	if a.Namespace != "" {
		ns = "\n  namespace: " + scalar(a.Namespace)
	}
	return fmt.Sprintf(`# Approve leaving stage %s: add this entry to spec.approvals of the
# Initiative's manifest and commit it (or run approve with --file to edit it).
apiVersion: culture.momentum.dev/v1alpha1
kind: Initiative
metadata:
  name: %s%s
spec:
  approvals:
  - %s
`, a.Stage, scalar(a.Initiative), ns, entry(a.Stage, a.By))
}

// entry is one approval in flow style, as the samples write it.
func entry(stage, by string) string {
	return fmt.Sprintf("{stage: %s, approvedBy: %s}", scalar(stage), scalar(by))
}

var plain = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9 ._'-]*[A-Za-z0-9.]$|^[A-Za-z]$`)

// scalar writes s plain when that is safe inside a flow mapping, else
// double-quoted.
func scalar(s string) string {
	if plain.MatchString(s) && !reserved[strings.ToLower(s)] {
		return s
	}
	return strconv.Quote(s)
}

var reserved = map[string]bool{"true": true, "false": true, "yes": true, "no": true, "on": true, "off": true, "null": true, "y": true, "n": true}

// ErrUnchanged means the manifest already holds the approval.
var ErrUnchanged = errors.New("the manifest already holds this approval")

// Edit adds the approval to the Initiative in data (a file of one or more
// YAML documents), inserting text rather than re-encoding, so that every
// other byte (comments, indentation, quoting, key order) stays as it was.
func Edit(data []byte, a Approval) ([]byte, error) {
	doc, err := find(data, a)
	if err != nil {
		return nil, err
	}
	if err := declared(doc, a.Stage); err != nil {
		return nil, err
	}
	spec := get(doc, "spec")
	if spec == nil || spec.Kind != yaml.MappingNode || spec.Style&yaml.FlowStyle != 0 {
		return nil, fmt.Errorf("initiative %s: spec is not a block mapping; add %s to spec.approvals by hand", a.Initiative, entry(a.Stage, a.By))
	}
	lines := splitLines(data)
	approvals := get(spec, "approvals")
	switch {
	case approvals == nil:
		return appendToMapping(lines, spec, a), nil
	case approvals.Kind != yaml.SequenceNode:
		return nil, fmt.Errorf("initiative %s: spec.approvals is not a list", a.Initiative)
	}
	if err := existing(approvals, a); err != nil {
		return nil, err
	}
	if approvals.Style&yaml.FlowStyle != 0 {
		return rewriteFlow(lines, approvals, a)
	}
	return appendToSequence(lines, approvals, a), nil
}

// find returns the root mapping of the Initiative document named in a.
func find(data []byte, a Approval) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("no Initiative %q in the file", a.Initiative)
		} else if err != nil {
			return nil, err
		}
		if len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode {
			continue
		}
		root := n.Content[0]
		meta := get(root, "metadata")
		ns := value(get(meta, "namespace"))
		if value(get(root, "kind")) == "Initiative" && value(get(meta, "name")) == a.Initiative &&
			(a.Namespace == "" || ns == "" || ns == a.Namespace) {
			return root, nil
		}
	}
}

// declared checks that stage is one of the initiative's stages.
func declared(root *yaml.Node, stage string) error {
	stages := get(get(root, "spec"), "stages")
	names := []string{"Initiation", "Implementation", "Embedding", "Reinforcement"}
	if stages != nil {
		names = make([]string, 0, len(stages.Content))
		for _, s := range stages.Content {
			names = append(names, value(get(s, "name")))
		}
	}
	for _, n := range names {
		if n == stage {
			return nil
		}
	}
	return fmt.Errorf("%q is not a stage of the initiative (%s)", stage, strings.Join(names, ", "))
}

// existing refuses a second, different approval of the same stage.
func existing(seq *yaml.Node, a Approval) error {
	for _, item := range seq.Content {
		if value(get(item, "stage")) != a.Stage {
			continue
		}
		if by := value(get(item, "approvedBy")); by == a.By {
			return ErrUnchanged
		} else {
			return fmt.Errorf("stage %s is already approved by %s", a.Stage, by)
		}
	}
	return nil
}

func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func value(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}
