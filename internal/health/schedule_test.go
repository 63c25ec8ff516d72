package health

import (
	"fmt"
	"testing"
	"time"
)

func TestNextMeasurement(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	if got := NextMeasurement("culture/nps", time.Time{}, time.Minute, now); !got.Equal(now) {
		t.Errorf("a never-measured source is due %v, want now", got)
	}
	last := now.Add(-30 * time.Second)
	next := NextMeasurement("culture/nps", last, time.Minute, now)
	if next.Before(last.Add(time.Minute)) || !next.Before(last.Add(66*time.Second)) {
		t.Errorf("next = %v, want within [interval, interval*1.1) after the last attempt", next.Sub(last))
	}
	if again := NextMeasurement("culture/nps", last, time.Minute, now); !again.Equal(next) {
		t.Error("the schedule is not deterministic")
	}
}

// A thousand indicators measured at the same moment spread their next
// measurements over the jitter window instead of firing together.
func TestJitterSpreadsAThousandIndicators(t *testing.T) {
	last := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	perSecond := map[int64]int{}
	for i := 0; i < 1000; i++ {
		next := NextMeasurement(fmt.Sprintf("culture/indicator-%d", i), last, time.Minute, last)
		perSecond[next.Unix()]++
	}
	busiest := 0
	for _, n := range perSecond {
		busiest = max(busiest, n)
	}
	// 6 seconds of window for 1000 indicators: ~167 a second if even; all
	// in one second would be 1000.
	if len(perSecond) < 6 || busiest > 250 {
		t.Errorf("1000 indicators fell into %d seconds, the busiest holding %d", len(perSecond), busiest)
	}
}
