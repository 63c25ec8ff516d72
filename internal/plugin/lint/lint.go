// Package lint checks Momentum program manifests offline, before they reach
// Git: each object against the CRD schema and CEL rules shipped in the
// binary (with the API server's own validation code), then the references
// between objects that only the controller would otherwise report.
package lint

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// Problem is one finding, located by file, line, object and field.
type Problem struct {
	File      string `json:"file"`
	Line      int    `json:"line,omitempty"`
	Kind      string `json:"kind,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name,omitempty"`
	Field     string `json:"field,omitempty"`
	Message   string `json:"message"`
}

// Object names the problem's object as kubectl does: Kind/name or Kind/ns/name.
func (p Problem) Object() string {
	if p.Namespace == "" {
		return p.Kind + "/" + p.Name
	}
	return p.Kind + "/" + p.Namespace + "/" + p.Name
}

// String is the one-line form used by `lint`: file:line: object: field: message.
func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	parts := []string{loc}
	if p.Kind != "" {
		parts = append(parts, p.Object())
	}
	if p.Field != "" {
		parts = append(parts, p.Field)
	}
	return strings.Join(append(parts, p.Message), ": ")
}

// Object is a Momentum object found in the linted files.
type Object struct {
	Doc Document
	GVK schema.GroupVersionKind
	U   *unstructured.Unstructured
}

func (o Object) problem(path, msg string) Problem {
	return Problem{File: o.Doc.File, Line: o.Doc.Line(path), Kind: o.GVK.Kind, Namespace: o.U.GetNamespace(), Name: o.U.GetName(), Field: path, Message: msg}
}

// Files lints the given files and directories; it returns the problems
// and how many files it read.
func Files(ctx context.Context, s *Schemas, args []string) ([]Problem, int, error) {
	files, err := Expand(args)
	if err != nil {
		return nil, 0, err
	}
	var docs []Document
	var problems []Problem
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, 0, err
		}
		d, err := Parse(f, data)
		inNamespace(d, kustomizeNamespace(f))
		docs = append(docs, d...)
		if err != nil {
			problems = append(problems, Problem{File: f, Message: "not valid YAML: " + err.Error()})
		}
	}
	problems = append(problems, Documents(ctx, s, docs)...)
	Sort(problems)
	return problems, len(files), nil
}

// Documents lints parsed documents: every Momentum object on its own, then
// the references between them.
func Documents(ctx context.Context, s *Schemas, docs []Document) []Problem {
	var problems []Problem
	var objs []Object
	for _, d := range docs {
		o, ps := check(ctx, s, d)
		problems = append(problems, ps...)
		if o != nil {
			objs = append(objs, *o)
		}
	}
	return append(problems, crossCheck(objs)...)
}

// check validates one document; it returns the object when it is Momentum's
// (nil for other kinds, which are not linted).
func check(ctx context.Context, s *Schemas, d Document) (*Object, []Problem) {
	u := &unstructured.Unstructured{Object: d.Object}
	gvk := u.GroupVersionKind()
	if gvk.Group != v1alpha1.GroupVersion.Group {
		return nil, nil
	}
	o := &Object{Doc: d, GVK: gvk, U: u}
	if !s.Known(gvk) {
		return nil, []Problem{o.problem("apiVersion", fmt.Sprintf("unknown kind %s in %s: the CRDs define %s", gvk.Kind, gvk.GroupVersion(), strings.Join(s.kindNames(), ", ")))}
	}
	var problems []Problem
	for _, msg := range nameProblems(u.GetName()) {
		problems = append(problems, o.problem("metadata.name", msg))
	}
	for _, e := range s.Validate(ctx, gvk, u.Object) {
		problems = append(problems, o.problem(e.Field, errorMessage(e)))
	}
	return o, problems
}

func nameProblems(name string) []string {
	if name == "" {
		return []string{"Required value: name is required"}
	}
	return validation.IsDNS1123Subdomain(name)
}

// errorMessage is the API server's wording of a field error, without the
// field (reported separately).
func errorMessage(e *field.Error) string {
	if _, ok := e.BadValue.(field.OmitValueType); ok && e.Type == field.ErrorTypeNotSupported {
		return e.Detail // an unknown field: there is no list of supported values
	}
	return strings.TrimPrefix(e.ErrorBody(), e.Field+": ")
}

func (s *Schemas) kindNames() []string {
	names := s.kinds()
	sort.Strings(names)
	return names
}

// Sort orders problems by file, line and message, for stable output.
func Sort(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		if ps[i].Line != ps[j].Line {
			return ps[i].Line < ps[j].Line
		}
		return ps[i].Message < ps[j].Message
	})
}

// WriteText writes one line per problem and a summary.
func WriteText(w io.Writer, ps []Problem, files int) error {
	for _, p := range ps {
		if _, err := fmt.Fprintln(w, p.String()); err != nil {
			return err
		}
	}
	if len(ps) == 0 {
		_, err := fmt.Fprintf(w, "%d file(s) checked, no problems\n", files)
		return err
	}
	_, err := fmt.Fprintf(w, "%d problem(s) in %d file(s) checked\n", len(ps), files)
	return err
}

// WriteJSON writes {"problems": [...]} (an empty list when clean).
func WriteJSON(w io.Writer, ps []Problem) error {
	if ps == nil {
		ps = []Problem{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Problems []Problem `json:"problems"`
	}{ps})
}
