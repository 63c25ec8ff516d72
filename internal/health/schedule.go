package health

import (
	"hash/fnv"
	"time"
)

// jitterShare is the widest share of an interval by which a measurement is
// pushed back, so that indicators created together drift apart.
const jitterShare = 10

// NextMeasurement is when a live source is next due: one interval after the
// last attempt plus a jitter of up to a tenth of the interval that depends on
// the indicator and the attempt, so a thousand indicators on the same
// interval do not fire at once and do not stay in lockstep. Without a last
// attempt it is due now.
func NextMeasurement(key string, last time.Time, interval time.Duration, now time.Time) time.Time {
	if last.IsZero() {
		return now
	}
	return last.Add(interval + Jitter(key, last, interval))
}

// Jitter is a deterministic delay in [0, interval/10) for key and attempt.
func Jitter(key string, attempt time.Time, interval time.Duration) time.Duration {
	window := interval / jitterShare
	if window <= 0 {
		return 0
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(key))
	_, _ = h.Write([]byte(attempt.UTC().Format(time.RFC3339)))
	return time.Duration(h.Sum64() % uint64(window))
}
