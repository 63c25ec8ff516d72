package stages

import (
	"strings"
	"unicode/utf8"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// Explain summarises met gates as the reason a stage was left.
func Explain(gates []v1alpha1.GateStatus) string {
	parts := make([]string, 0, len(gates))
	for _, g := range gates {
		parts = append(parts, g.Message)
	}
	return truncate("exit criteria met: "+strings.Join(parts, "; "), 1024)
}

// truncate shortens s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("...")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
