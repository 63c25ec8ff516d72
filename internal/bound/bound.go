// Package bound keeps what Momentum writes within the limits the API server
// enforces, so that a write is never rejected (and the object frozen)
// because a tenant made a text or a list longer than its schema allows.
package bound

import "unicode/utf8"

// Marker ends a text that was cut.
const Marker = "…"

// Limits the API server enforces on what Momentum writes.
const (
	// EventNote is the most bytes an events.k8s.io/v1 Event note may hold.
	EventNote = 1024
	// ConditionMessage is the most bytes a metav1.Condition message may hold.
	ConditionMessage = 32768
)

// Text returns s cut to at most max bytes on a rune boundary, ending in
// Marker when it was cut.
func Text(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - len(Marker)
	if cut < 0 {
		return ""
	}
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + Marker
}

// Newest returns at most n items from the end of list, where lists kept in
// time order hold their newest items. It never returns more than n items;
// the caller counts what was dropped when it needs to.
func Newest[T any](list []T, n int) []T {
	if n < 0 {
		n = 0
	}
	if len(list) <= n {
		return list
	}
	return list[len(list)-n:]
}
