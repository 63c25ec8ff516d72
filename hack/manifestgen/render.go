package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/yaml"
)

// Markers stand for template expressions while an object is marshalled as
// YAML; templated swaps them for the expressions afterwards.
const (
	markerFullname  = "MOMENTUM_FULLNAME"
	markerNamespace = "MOMENTUM_NAMESPACE"
	markerLabels    = "MOMENTUM_LABELS"
	markerKeep      = "MOMENTUM_KEEP"
)

// escape keeps text that looks like a template (e.g. a field description
// quoting {{ .Why }}) literal in the rendered chart.
var escape = strings.NewReplacer("{{", `{{ "{{" }}`, "}}", `{{ "}}" }}`)

var expand = strings.NewReplacer(
	markerFullname, `{{ include "momentum.fullname" . }}`,
	markerNamespace, `{{ .Release.Namespace }}`,
	"    "+markerLabels+`: ""`, `    {{- include "momentum.labels" . | nindent 4 }}`,
	"    "+markerKeep+`: ""`, "    {{- if .Values.crds.keep }}\n    helm.sh/resource-policy: keep\n    {{- end }}",
)

// templated writes o as one YAML document of a chart template.
func templated(w *bytes.Buffer, o map[string]any) error {
	data, err := yaml.Marshal(o)
	if err != nil {
		return err
	}
	w.WriteString("---\n")
	w.WriteString(expand.Replace(escape.Replace(string(data))))
	return nil
}

// readObjects reads every non-empty YAML document of a file.
func readObjects(path string) ([]map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var objs []map[string]any
	for _, doc := range strings.Split("\n"+string(data), "\n---") {
		var o map[string]any
		if err := yaml.Unmarshal([]byte(doc), &o); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if o != nil {
			objs = append(objs, o)
		}
	}
	return objs, nil
}

func readYAML(path string, into any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return yaml.Unmarshal(data, into)
}

func rel(root, path string) string {
	r, err := filepath.Rel(root, path)
	if err != nil {
		return path
	}
	return filepath.ToSlash(r)
}

// argoCD writes the argocd-cm snippet: health.lua for every kind.
func argoCD(root string, out map[string][]byte) error {
	src := filepath.Join(root, "config", "argocd", "health.lua")
	lua, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	data := map[string]string{}
	for _, k := range Kinds {
		data["resource.customizations.health."+Group+"_"+k] = string(lua)
	}
	cm := map[string]any{
		"apiVersion": "v1",
		"kind":       "ConfigMap",
		"metadata": map[string]any{
			"name":      "argocd-cm",
			"namespace": "argocd",
			"labels":    map[string]string{"app.kubernetes.io/name": "argocd-cm", "app.kubernetes.io/part-of": "argocd"},
		},
		"data": data,
	}
	body, err := yaml.Marshal(cm)
	if err != nil {
		return err
	}
	note := fmt.Sprintf(header, rel(root, src)) +
		"# Merge into Argo CD's argocd-cm: `kubectl apply --server-side --field-manager=momentum -f config/argocd/argocd-cm.yaml`\n" +
		"# adds these keys and leaves the others alone (or copy them into the argo-cd chart's configs.cm).\n"
	out[filepath.Join("config", "argocd", "argocd-cm.yaml")] = append([]byte(note), body...)
	return nil
}

// flux writes an example Kustomization whose healthCheckExprs hold
// health.yaml's expressions for every kind.
func flux(root string, out map[string][]byte) error {
	src := filepath.Join(root, "config", "flux", "health.yaml")
	var exprs struct {
		InProgress string `json:"inProgress"`
		Failed     string `json:"failed"`
		Current    string `json:"current"`
	}
	if err := readYAML(src, &exprs); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(`apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: culture-programs
  namespace: flux-system
spec:
  interval: 10m
  path: ./programs
  prune: true
  sourceRef: {kind: GitRepository, name: culture}
  wait: true
  timeout: 5m
  healthCheckExprs:
`)
	for _, k := range Kinds {
		fmt.Fprintf(&b, "  - apiVersion: %s/v1alpha1\n    kind: %s\n", Group, k)
		for _, e := range []struct{ name, expr string }{{"inProgress", exprs.InProgress}, {"failed", exprs.Failed}, {"current", exprs.Current}} {
			fmt.Fprintf(&b, "    %s: >-\n      %s\n", e.name, strings.ReplaceAll(strings.TrimSpace(e.expr), "\n", "\n      "))
		}
	}
	body := []byte(b.String())
	note := fmt.Sprintf(header, rel(root, src)) +
		"# A Flux Kustomization that syncs culture programs and waits for them to be healthy.\n" +
		"# Copy spec.healthCheckExprs into yours (it applies with spec.wait or spec.healthChecks).\n"
	out[filepath.Join("config", "flux", "kustomization.yaml")] = append([]byte(note), body...)
	return nil
}
