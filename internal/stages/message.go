package stages

import (
	"strings"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/bound"
)

// Explain summarises met gates as the reason a stage was left.
func Explain(gates []v1alpha1.GateStatus) string {
	parts := make([]string, 0, len(gates))
	for _, g := range gates {
		parts = append(parts, g.Message)
	}
	return bound.Text("exit criteria met: "+strings.Join(parts, "; "), 1024)
}
