// Package due turns the times at which something falls due (a gate, a
// stale measurement, a review, a retry) into the one requeue a reconcile
// asks for. The zero time means "nothing due".
package due

import "time"

// Earliest is the earliest of the times that are set; zero when none is.
func Earliest(times ...time.Time) time.Time {
	var first time.Time
	for _, t := range times {
		if !t.IsZero() && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	return first
}

// After turns a due time into a requeue delay: zero when nothing is due,
// and a millisecond when it is already past (a chained stage advance, a
// measurement overdue), so it runs at once without being a hot loop.
func After(at, now time.Time) time.Duration {
	if at.IsZero() {
		return 0
	}
	return max(at.Sub(now), time.Millisecond)
}
