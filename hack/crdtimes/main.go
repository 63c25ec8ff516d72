// Command crdtimes makes the API server check every timestamp in Momentum's
// CRDs with the parser the manager decodes it with.
//
// controller-gen gives metav1.Time fields `format: date-time`. The API
// server's date-time format check accepts values that Go's RFC 3339 parser
// (metav1.Time.UnmarshalJSON) rejects, such as "2026-01-01T00:00:00ZTjunk",
// lowercase "t…z" or a "+25:00" offset; one such value makes the manager's
// whole list of that kind undecodable. CEL's timestamp() is Go's
// time.Parse(time.RFC3339, …), the manager's own parser, so this rewrites each
// date-time string into a plain, bounded string checked by timestamp(self).
//
// It runs after controller-gen in `make manifests`; `make verify` catches a
// CRD that was not rewritten.
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"sigs.k8s.io/yaml"
)

// Rule and Message are what every timestamp in the CRDs is checked with.
const (
	Rule      = "timestamp(self) >= timestamp('0001-01-01T00:00:00Z')"
	Message   = "must be an RFC 3339 time such as 2026-01-02T15:04:05Z"
	MaxLength = 64
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: crdtimes DIR")
		os.Exit(2)
	}
	files, err := filepath.Glob(filepath.Join(os.Args[1], "*.yaml"))
	if err == nil {
		for _, f := range files {
			if err = rewriteFile(f); err != nil {
				break
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func rewriteFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var crd map[string]any
	if err := yaml.Unmarshal(data, &crd); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	walk(crd)
	out, err := yaml.Marshal(crd)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	out = append([]byte("---\n"), out...)
	if bytes.Equal(out, data) {
		return nil
	}
	return os.WriteFile(path, out, 0o644)
}

// walk rewrites every schema with format date-time below node.
func walk(node any) {
	switch n := node.(type) {
	case map[string]any:
		if n["type"] == "string" && n["format"] == "date-time" {
			rewrite(n)
		}
		for _, v := range n {
			walk(v)
		}
	case []any:
		for _, v := range n {
			walk(v)
		}
	}
}

// rewrite turns one date-time schema into a bounded string checked by CEL.
func rewrite(schema map[string]any) {
	delete(schema, "format")
	if _, ok := schema["maxLength"]; !ok {
		schema["maxLength"] = MaxLength
	}
	rules, _ := schema["x-kubernetes-validations"].([]any)
	schema["x-kubernetes-validations"] = append(rules, map[string]any{"rule": Rule, "message": Message})
}
