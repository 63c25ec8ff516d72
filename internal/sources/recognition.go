package sources

import (
	"fmt"
	"strconv"
	"time"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// nominationWindowDays is the window NominationsPerWeek averages over: four
// weeks, so that one quiet week does not swing the indicator.
const nominationWindowDays = 28

// Recognition derives a value from a RecognitionCampaign: the leadership or
// peer share its controller computed, or the qualifying nominations per week
// over the last four weeks (today and the 27 days before it, in now's time
// zone).
func Recognition(c *v1alpha1.RecognitionCampaign, measure v1alpha1.RecognitionMeasure, now time.Time) (v1alpha1.Decimal, error) {
	if c == nil {
		return "", newError(ClassInvalidSpec, "recognition source: no campaign")
	}
	switch measure {
	case v1alpha1.MeasureLeadershipShare:
		return share(c.Status.LeadershipShare)
	case v1alpha1.MeasurePeerShare:
		return share(c.Status.PeerShare)
	case v1alpha1.MeasureNominationsPerWeek:
		n := recentNominations(c, now)
		// n/4 is a multiple of 0.25, which float64 holds exactly.
		return v1alpha1.Decimal(strconv.FormatFloat(float64(n)/4, 'f', -1, 64)), nil
	default:
		return "", newError(ClassInvalidSpec, fmt.Sprintf("recognition source: unknown measure %q", measure))
	}
}

// share reads a percentage the campaign controller keeps in status; it is
// absent until there is a qualifying nomination, and 0 of 0 is no share.
func share(p *int32) (v1alpha1.Decimal, error) {
	if p == nil {
		return "", newError(ClassSourceUnavailable, "campaign has no qualifying nominations yet")
	}
	return v1alpha1.Decimal(strconv.FormatInt(int64(*p), 10)), nil
}

// recentNominations counts the nominations dated today or in the 27 days
// before, except those the campaign rejected. Dates are compared as
// calendar days so that a daylight-saving change cannot shift the window.
func recentNominations(c *v1alpha1.RecognitionCampaign, now time.Time) int {
	rejected := make(map[string]bool, len(c.Status.Rejected))
	for _, r := range c.Status.Rejected {
		rejected[r.Name] = true
	}
	today := civilDay(now)
	count := 0
	for _, n := range c.Spec.Nominations {
		if rejected[n.Name] {
			continue
		}
		at, err := time.Parse(time.DateOnly, n.At)
		if err != nil {
			// The CRD validates the format; an unreadable date cannot be placed.
			continue
		}
		age := int(today.Sub(civilDay(at)).Hours() / 24)
		if age >= 0 && age < nominationWindowDays {
			count++
		}
	}
	return count
}

// civilDay is the calendar date of t, as midnight UTC.
func civilDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
