package lint

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	yamlv3 "go.yaml.in/yaml/v3"
	"sigs.k8s.io/yaml"
)

// Document is one YAML document of a linted file.
type Document struct {
	// File is the path as given (or found under a given directory).
	File string
	// Node is the document's parsed YAML, for the line of a field.
	Node *yamlv3.Node
	// Object is the document as the API server would receive it (JSON semantics).
	Object map[string]any
}

// Expand turns the arguments of `lint` into the YAML files to read: a
// directory contributes every *.yaml and *.yml beneath it, in lexical order.
func Expand(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, a)
			continue
		}
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(files)
	return files, nil
}

// Parse splits data into its documents, decoded as kubectl decodes them
// (sigs.k8s.io/yaml), keeping each document's node tree for line numbers.
func Parse(file string, data []byte) ([]Document, error) {
	dec := yamlv3.NewDecoder(bytes.NewReader(data))
	var docs []Document
	for {
		node := &yamlv3.Node{}
		err := dec.Decode(node)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return docs, err
		}
		if len(node.Content) == 0 || node.Content[0].Kind != yamlv3.MappingNode {
			continue // empty documents and scalars are not objects
		}
		raw, err := yamlv3.Marshal(node)
		if err != nil {
			return docs, err
		}
		obj := map[string]any{}
		if err := yaml.Unmarshal(raw, &obj); err != nil {
			return docs, fmt.Errorf("line %d: %w", node.Line, err)
		}
		docs = append(docs, Document{File: file, Node: node, Object: obj})
	}
}

// Line returns the line of the YAML node at path (a field.Path string such
// as spec.stages[0].name), or of its nearest ancestor that exists.
func (d Document) Line(path string) int {
	if d.Node == nil || len(d.Node.Content) == 0 {
		return 0
	}
	n := d.Node.Content[0]
	line := n.Line
	for _, seg := range splitPath(path) {
		next := child(n, seg)
		if next == nil {
			break
		}
		n, line = next, next.Line
	}
	return line
}

func splitPath(path string) []string {
	path = strings.ReplaceAll(path, "[", ".[")
	var out []string
	for _, s := range strings.Split(path, ".") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func child(n *yamlv3.Node, seg string) *yamlv3.Node {
	switch {
	case n.Kind == yamlv3.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == seg {
				return n.Content[i+1]
			}
		}
	case n.Kind == yamlv3.SequenceNode && strings.HasPrefix(seg, "["):
		var i int
		if _, err := fmt.Sscanf(seg, "[%d]", &i); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i]
		}
	}
	return nil
}

// kustomizeNamespace is the namespace the kustomization.yaml next to file
// sets ("" without one): kustomize puts every object it lists there, so
// two programs in sibling directories do not collide.
func kustomizeNamespace(file string) string {
	for _, name := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		data, err := os.ReadFile(filepath.Join(filepath.Dir(file), name))
		if err != nil {
			continue
		}
		var k struct {
			Namespace string `json:"namespace"`
		}
		if yaml.Unmarshal(data, &k) != nil {
			return ""
		}
		return k.Namespace
	}
	return ""
}

// inNamespace sets the namespace of every object of docs to ns, as
// kustomize's namespace field does; an empty ns changes nothing.
func inNamespace(docs []Document, ns string) {
	if ns == "" {
		return
	}
	for _, d := range docs {
		if md, ok := d.Object["metadata"].(map[string]any); ok {
			md["namespace"] = ns
		}
	}
}
