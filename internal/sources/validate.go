package sources

import (
	"errors"
	"fmt"
	"strings"

	"github.com/prometheus/prometheus/promql/parser"
	"k8s.io/client-go/util/jsonpath"

	"github.com/momentum-dev/momentum/internal/bound"
)

// maxErrorText bounds how much of a parser or Prometheus message is quoted,
// so that status stays readable.
const maxErrorText = 200

// queryParser accepts every feature flag a server may have enabled: a syntax
// check must not refuse what the user's Prometheus would run.
var queryParser = parser.NewParser(parser.Options{
	EnableExperimentalFunctions: true,
	EnableBinopFillModifiers:    true,
	EnableUnquotedUTF8Names:     true,
})

// ValidateQuery checks PromQL syntax with Prometheus' own parser, so that a
// typo is reported when the spec is applied rather than at every measurement.
func ValidateQuery(query string) error {
	if strings.TrimSpace(query) == "" {
		return errors.New("query is empty")
	}
	if _, err := queryParser.ParseExpr(query); err != nil {
		return fmt.Errorf("query is not valid PromQL: %s", bound.Text(err.Error(), maxErrorText))
	}
	return nil
}

// ValidateJSONPath checks a jsonPath in kubectl's syntax. It must hold one
// expression in braces (without them the template is literal text, which
// never selects a number), and only the part of the syntax whose work is
// bounded by the size of the response: fields, indexes and slices,
// wildcards and one filter. Recursive descent (..) and unions ([0,0]) can
// select the same value over and over: a 15-byte response and a path of 150
// characters made kubectl's evaluator allocate over a gigabyte.
func ValidateJSONPath(path string) error {
	if path == "" {
		return errors.New("jsonPath is empty")
	}
	p, err := jsonpath.Parse("jsonPath", path)
	if err != nil {
		return fmt.Errorf("jsonPath %s is invalid: %s", path, bound.Text(err.Error(), maxErrorText))
	}
	expressions := 0
	for _, n := range p.Root.Nodes {
		if n.Type() == jsonpath.NodeList {
			expressions++
		}
	}
	switch {
	case expressions == 0:
		return fmt.Errorf("jsonPath %s selects nothing; write it in braces, e.g. {.data.nps}", path)
	case expressions > 1:
		return fmt.Errorf("jsonPath %s must hold one expression in braces, e.g. {.data.nps}", path)
	}
	filters := 0
	if err := boundedNodes(p.Root.Nodes, false, &filters); err != nil {
		return fmt.Errorf("jsonPath %s: %w", path, err)
	}
	return nil
}

// boundedNodes refuses the jsonPath steps whose work is not bounded by the
// size of the response.
func boundedNodes(nodes []jsonpath.Node, inFilter bool, filters *int) error {
	for _, n := range nodes {
		switch n := n.(type) {
		case *jsonpath.ListNode:
			if err := boundedNodes(n.Nodes, inFilter, filters); err != nil {
				return err
			}
		case *jsonpath.RecursiveNode:
			return errors.New("recursive descent (..) is not allowed: name the path to the number")
		case *jsonpath.UnionNode:
			return errors.New("unions such as [0,1] are not allowed: the path must select one number")
		case *jsonpath.WildcardNode:
			if inFilter {
				return errors.New("wildcards are not allowed inside a filter")
			}
		case *jsonpath.FilterNode:
			if *filters++; inFilter || *filters > 1 {
				return errors.New("at most one filter, without filters or wildcards inside it, is allowed")
			}
			if err := boundedNodes(append([]jsonpath.Node{n.Left}, n.Right), true, filters); err != nil {
				return err
			}
		}
	}
	return nil
}
