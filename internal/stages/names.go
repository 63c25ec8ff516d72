package stages

import "github.com/momentum-dev/momentum/api/v1alpha1"

// Names are the names of the stages in effect, in order: the spec's, or
// the four defaults.
func Names(spec v1alpha1.InitiativeSpec) []string {
	all := Resolve(spec)
	out := make([]string, 0, len(all))
	for _, s := range all {
		out = append(out, s.Name)
	}
	return out
}
