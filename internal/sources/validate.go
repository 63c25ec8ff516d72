package sources

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/prometheus/prometheus/promql/parser"
	"k8s.io/client-go/util/jsonpath"
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
		return fmt.Errorf("query is not valid PromQL: %s", truncate(err.Error()))
	}
	return nil
}

// ValidateJSONPath checks a jsonPath in kubectl's syntax. It must hold an
// expression in braces: without them the template is literal text, which
// never selects a number.
func ValidateJSONPath(path string) error {
	if path == "" {
		return errors.New("jsonPath is empty")
	}
	p, err := jsonpath.Parse("jsonPath", path)
	if err != nil {
		return fmt.Errorf("jsonPath %s is invalid: %s", path, truncate(err.Error()))
	}
	for _, n := range p.Root.Nodes {
		if n.Type() == jsonpath.NodeList {
			return nil
		}
	}
	return fmt.Errorf("jsonPath %s selects nothing; write it in braces, e.g. {.data.nps}", path)
}

// truncate shortens s to maxErrorText bytes, keeping whole UTF-8 runes.
func truncate(s string) string {
	if len(s) <= maxErrorText {
		return s
	}
	cut := maxErrorText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
