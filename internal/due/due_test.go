package due

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

func TestEarliest(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		times []time.Time // the candidates
		want  time.Time
	}{
		"none":                 {},
		"only zero":            {times: []time.Time{{}, {}}},
		"zero is not earliest": {times: []time.Time{{}, t0.Add(time.Hour), {}}, want: t0.Add(time.Hour)},
		"earliest of several":  {times: []time.Time{t0.Add(2 * time.Hour), t0, t0.Add(time.Hour)}, want: t0},
		"one":                  {times: []time.Time{t0}, want: t0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(Earliest(tc.times...)).To(Equal(tc.want))
		})
	}
}

func TestAfter(t *testing.T) {
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		at   time.Time // when something falls due
		want time.Duration
	}{
		"nothing due":  {want: 0},
		"in an hour":   {at: now.Add(time.Hour), want: time.Hour},
		"now":          {at: now, want: time.Millisecond},
		"already past": {at: now.Add(-time.Hour), want: time.Millisecond},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(After(tc.at, now)).To(Equal(tc.want))
		})
	}
}
