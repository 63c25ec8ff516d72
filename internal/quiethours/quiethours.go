// Package quiethours decides when people may be messaged and when stage
// advancement is frozen, from an initiative's spec.quietHours. Everything
// here is a pure function of its inputs.
package quiethours

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// searchDays bounds every search for an allowed moment: a calendar that
// allows nothing within a year allows nothing at all.
const searchDays = 370

// Calendar is a parsed spec.quietHours. The nil Calendar allows everything
// and freezes nothing.
type Calendar struct {
	loc      *time.Location
	windows  []window
	holidays map[string]bool
	freezes  []freeze
}

type window struct {
	days     [7]bool
	from, to int // minutes after midnight
}

type freeze struct {
	name     string
	from, to string // dates, inclusive
}

var weekdays = map[string]time.Weekday{
	"Sun": time.Sunday, "Mon": time.Monday, "Tue": time.Tuesday, "Wed": time.Wednesday,
	"Thu": time.Thursday, "Fri": time.Friday, "Sat": time.Saturday,
}

// New parses q; a nil q gives the nil Calendar. An error names the field
// the API server let through but the manager cannot read.
func New(q *v1alpha1.QuietHours) (*Calendar, error) {
	if q == nil {
		return nil, nil
	}
	c := &Calendar{loc: time.UTC, holidays: map[string]bool{}}
	if q.TimeZone != "" {
		loc, err := time.LoadLocation(string(q.TimeZone))
		if err != nil {
			return nil, fmt.Errorf("spec.quietHours.timeZone %q: %w", q.TimeZone, err)
		}
		c.loc = loc
	}
	for i, a := range q.Allow {
		w, err := parseWindow(a)
		if err != nil {
			return nil, fmt.Errorf("spec.quietHours.allow[%d]: %w", i, err)
		}
		c.windows = append(c.windows, w)
	}
	for _, h := range q.Holidays {
		c.holidays[string(h)] = true
	}
	for _, f := range q.Freezes {
		c.freezes = append(c.freezes, freeze{name: f.Name, from: string(f.From), to: string(f.To)})
	}
	return c, nil
}

func parseWindow(a v1alpha1.AllowedWindow) (window, error) {
	var w window
	from, err1 := time.Parse("15:04", string(a.From))
	to, err2 := time.Parse("15:04", string(a.To))
	if err1 != nil || err2 != nil || !from.Before(to) {
		return w, fmt.Errorf("from %q and to %q must be times such as 09:00 with from before to", a.From, a.To)
	}
	w.from, w.to = from.Hour()*60+from.Minute(), to.Hour()*60+to.Minute()
	for _, d := range a.Days {
		first, last, _ := strings.Cut(string(d), "-")
		start, ok1 := weekdays[first]
		end, ok2 := weekdays[last]
		if last == "" {
			end, ok2 = start, true
		}
		if !ok1 || !ok2 {
			return w, fmt.Errorf("day %q is not a weekday such as Mon or a range such as Mon-Fri", d)
		}
		for day := start; ; day = (day + 1) % 7 {
			w.days[day] = true
			if day == end {
				break
			}
		}
	}
	return w, nil
}

// Location is the calendar's time zone.
func (c *Calendar) Location() *time.Location {
	if c == nil {
		return time.UTC
	}
	return c.loc
}

// Allowed reports whether a message may be sent at t.
func (c *Calendar) Allowed(t time.Time) bool {
	next, ok := c.Next(t)
	return ok && next.Equal(t)
}

// Next is the first moment at or after t at which a message may be sent;
// false when there is none within a year.
func (c *Calendar) Next(t time.Time) (time.Time, bool) {
	if c == nil {
		return t, true
	}
	local := t.In(c.loc)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, c.loc)
	for i := 0; i < searchDays; i++ {
		d := day.AddDate(0, 0, i)
		if c.holidays[d.Format(time.DateOnly)] {
			continue
		}
		for _, start := range c.openings(d) {
			if !start.end.After(local) {
				continue
			}
			if start.begin.After(local) {
				return start.begin, true
			}
			return t, true
		}
	}
	return time.Time{}, false
}

type span struct{ begin, end time.Time }

// openings are the allowed spans of day d (midnight in the calendar's zone),
// earliest first.
func (c *Calendar) openings(d time.Time) []span {
	if len(c.windows) == 0 {
		return []span{{d, d.AddDate(0, 0, 1)}}
	}
	var out []span
	for _, w := range c.windows {
		if w.days[d.Weekday()] {
			out = append(out, span{at(d, w.from), at(d, w.to)})
		}
	}
	slices.SortFunc(out, func(a, b span) int { return a.begin.Compare(b.begin) })
	return out
}

// at is the wall-clock minute m of day d; a time skipped by a daylight-saving
// change moves forward, as time.Date normalises it.
func at(d time.Time, m int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), m/60, m%60, 0, 0, d.Location())
}

// FreezeAt returns the freeze in force at t and when it ends (the start of
// the day after its last day; overlapping freezes end with the latest).
func (c *Calendar) FreezeAt(t time.Time) (name string, until time.Time, ok bool) {
	if c == nil {
		return "", time.Time{}, false
	}
	today := t.In(c.loc).Format(time.DateOnly)
	for _, f := range c.freezes {
		if f.from > today || f.to < today {
			continue
		}
		last, err := time.ParseInLocation(time.DateOnly, f.to, c.loc)
		if err != nil {
			continue
		}
		if end := last.AddDate(0, 0, 1); !ok || end.After(until) {
			name, until, ok = f.name, end, true
		}
	}
	return name, until, ok
}
