package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
)

// The committed chart templates and GitOps snippets are what config/ makes
// of them now: `make manifests` was run after the last change to config/.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	g := NewWithT(t)
	root := filepath.Join("..", "..")
	files, err := Generate(root)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(files).To(HaveKey("charts/momentum/templates/rbac/role.yaml"))
	g.Expect(files).To(HaveKey("charts/momentum/templates/crds/initiatives.yaml"))
	for path, want := range files {
		got, err := os.ReadFile(filepath.Join(root, path))
		g.Expect(err).NotTo(HaveOccurred(), "run `make manifests`")
		g.Expect(string(got)).To(Equal(string(want)), "%s is stale: run `make manifests`", path)
	}
	for _, dir := range GeneratedDirs {
		entries, err := os.ReadDir(filepath.Join(root, dir))
		g.Expect(err).NotTo(HaveOccurred())
		for _, e := range entries {
			g.Expect(files).To(HaveKey(filepath.Join(dir, e.Name())), "%s/%s is no longer generated: run `make manifests`", dir, e.Name())
		}
	}
}

// Template-like text in a CRD (a description quoting {{ .Why }}) stays
// literal in the chart, and the markers become template expressions.
func TestTemplatedEscapesAndExpands(t *testing.T) {
	g := NewWithT(t)
	var b bytes.Buffer
	g.Expect(templated(&b, map[string]any{
		"metadata":    map[string]any{"name": markerFullname + "-x", "labels": map[string]any{markerLabels: ""}},
		"description": "Why: {{ .Why }}",
	})).To(Succeed())
	g.Expect(b.String()).To(ContainSubstring(`description: 'Why: {{ "{{" }} .Why {{ "}}" }}'`))
	g.Expect(b.String()).To(ContainSubstring(`name: {{ include "momentum.fullname" . }}-x`))
	g.Expect(b.String()).To(ContainSubstring(`    {{- include "momentum.labels" . | nindent 4 }}`))
}
