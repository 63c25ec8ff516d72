package quiethours

import (
	"fmt"
	"time"

	"github.com/robfig/cron/v3"
)

// scheduleRuns bounds how many runs of a schedule are checked, and
// scheduleHorizon how far ahead: enough for every weekday and hour pattern.
const (
	scheduleRuns    = 64
	scheduleHorizon = 366 * 24 * time.Hour
)

// Conflict looks at the next runs of a cron schedule from t and describes
// the first that falls outside the allowed windows on a day that is not a
// holiday (holidays hold deliveries instead), e.g. "Mon 20:00
// Europe/Berlin". The description depends on the schedule and the calendar
// only, not on t's exact value, so it is stable across reconciles.
func Conflict(c *Calendar, sched cron.Schedule, t time.Time) (string, bool) {
	if c == nil || sched == nil {
		return "", false
	}
	run := t
	for range scheduleRuns {
		run = sched.Next(run)
		if run.IsZero() || run.Sub(t) > scheduleHorizon {
			return "", false
		}
		local := run.In(c.loc)
		if c.holidays[local.Format(time.DateOnly)] || c.Allowed(run) {
			continue
		}
		return fmt.Sprintf("%s %s %s", local.Format("Mon"), local.Format("15:04"), c.loc), true
	}
	return "", false
}

// HolidayUntil reports whether t falls on a holiday and when the holiday
// ends (the start of the next day), so that scheduled deliveries are held
// for the day.
func HolidayUntil(c *Calendar, t time.Time) (time.Time, bool) {
	if c == nil {
		return time.Time{}, false
	}
	local := t.In(c.loc)
	if !c.holidays[local.Format(time.DateOnly)] {
		return time.Time{}, false
	}
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, c.loc)
	return day.AddDate(0, 0, 1), true
}

// ParseSchedule parses a standard cron schedule in a time zone (the
// CronJob's spec.timeZone; empty is the manager's), the way the CronJob
// controller runs it.
func ParseSchedule[S, Z ~string](schedule S, timeZone Z) (cron.Schedule, error) {
	spec := string(schedule)
	if timeZone != "" {
		spec = "CRON_TZ=" + string(timeZone) + " " + spec
	}
	return cron.ParseStandard(spec)
}
