package quiethours

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/robfig/cron/v3"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

var berlin, _ = time.LoadLocation("Europe/Berlin")

func officeHours() *v1alpha1.QuietHours {
	return &v1alpha1.QuietHours{
		TimeZone: "Europe/Berlin",
		Allow:    []v1alpha1.AllowedWindow{{Days: []v1alpha1.DayRange{"Mon-Fri"}, From: "09:00", To: "17:30"}},
		Holidays: []v1alpha1.Date{"2026-12-25"},
		Freezes: []v1alpha1.Freeze{{Name: "year-end", From: "2026-12-20", To: "2027-01-03"},
			{Name: "audit", From: "2027-01-02", To: "2027-01-05"}},
	}
}

func TestNext(t *testing.T) {
	tests := map[string]struct {
		q    *v1alpha1.QuietHours // the calendar
		at   time.Time            // when a message is due
		want time.Time            // when it may be sent
	}{
		"no quiet hours":                {nil, time.Date(2026, 12, 26, 3, 0, 0, 0, berlin), time.Date(2026, 12, 26, 3, 0, 0, 0, berlin)},
		"inside the window":             {officeHours(), time.Date(2026, 11, 26, 10, 15, 0, 0, berlin), time.Date(2026, 11, 26, 10, 15, 0, 0, berlin)},
		"before opening":                {officeHours(), time.Date(2026, 11, 26, 7, 0, 0, 0, berlin), time.Date(2026, 11, 26, 9, 0, 0, 0, berlin)},
		"at closing time is closed":     {officeHours(), time.Date(2026, 11, 26, 17, 30, 0, 0, berlin), time.Date(2026, 11, 27, 9, 0, 0, 0, berlin)},
		"friday night waits for monday": {officeHours(), time.Date(2026, 11, 27, 22, 0, 0, 0, berlin), time.Date(2026, 11, 30, 9, 0, 0, 0, berlin)},
		"a holiday is skipped":          {officeHours(), time.Date(2026, 12, 24, 18, 0, 0, 0, berlin), time.Date(2026, 12, 28, 9, 0, 0, 0, berlin)},
		"UTC input, Berlin window":      {officeHours(), time.Date(2026, 11, 26, 7, 30, 0, 0, time.UTC), time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)},
		"only holidays configured": {&v1alpha1.QuietHours{Holidays: []v1alpha1.Date{"2026-12-25"}},
			time.Date(2026, 12, 25, 12, 0, 0, 0, time.UTC), time.Date(2026, 12, 26, 0, 0, 0, 0, time.UTC)},
		"a weekend window wraps": {&v1alpha1.QuietHours{Allow: []v1alpha1.AllowedWindow{{Days: []v1alpha1.DayRange{"Sat-Sun"}, From: "10:00", To: "12:00"}}},
			time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC), time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)},
		// 2027-03-28 02:00-03:00 does not exist in Berlin.
		"a window opening in the spring-forward gap": {&v1alpha1.QuietHours{TimeZone: "Europe/Berlin",
			Allow: []v1alpha1.AllowedWindow{{Days: []v1alpha1.DayRange{"Sun"}, From: "02:30", To: "04:00"}}},
			time.Date(2027, 3, 28, 0, 0, 0, 0, berlin), time.Date(2027, 3, 28, 3, 30, 0, 0, berlin)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			c, err := New(tc.q)
			g.Expect(err).NotTo(HaveOccurred())
			got, ok := c.Next(tc.at)
			g.Expect(ok).To(BeTrue())
			g.Expect(got).To(BeTemporally("==", tc.want))
			g.Expect(c.Allowed(tc.at)).To(Equal(got.Equal(tc.at)))
		})
	}
}

func TestNothingAllowed(t *testing.T) {
	g := NewWithT(t)
	var all []v1alpha1.Date
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2028; d = d.AddDate(0, 0, 1) {
		all = append(all, v1alpha1.Date(d.Format(time.DateOnly)))
	}
	c, err := New(&v1alpha1.QuietHours{Holidays: all})
	g.Expect(err).NotTo(HaveOccurred())
	_, ok := c.Next(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	g.Expect(ok).To(BeFalse(), "the search is bounded")
}

func TestFreezeAt(t *testing.T) {
	c, _ := New(officeHours())
	tests := map[string]struct {
		at        time.Time
		wantName  string
		wantUntil time.Time
	}{
		"before":              {time.Date(2026, 12, 19, 23, 59, 0, 0, berlin), "", time.Time{}},
		"first day":           {time.Date(2026, 12, 20, 0, 0, 0, 0, berlin), "year-end", time.Date(2027, 1, 4, 0, 0, 0, 0, berlin)},
		"overlap: the latest": {time.Date(2027, 1, 2, 12, 0, 0, 0, berlin), "audit", time.Date(2027, 1, 6, 0, 0, 0, 0, berlin)},
		"after":               {time.Date(2027, 1, 6, 0, 0, 0, 0, berlin), "", time.Time{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			n, until, ok := c.FreezeAt(tc.at)
			g.Expect(ok).To(Equal(tc.wantName != ""))
			g.Expect(n).To(Equal(tc.wantName))
			g.Expect(until).To(BeTemporally("==", tc.wantUntil))
		})
	}
}

func TestConflict(t *testing.T) {
	c, _ := New(officeHours())
	from := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		schedule string // cron spec, with its time zone
		want     string // the conflict, or empty
	}{
		"monday morning in Berlin":          {"CRON_TZ=Europe/Berlin 0 9 * * MON", ""},
		"monday morning in UTC (10:00 CET)": {"0 9 * * MON", ""},
		"evening":                           {"CRON_TZ=Europe/Berlin 0 20 * * MON", "Mon 20:00 Europe/Berlin"},
		"weekend":                           {"CRON_TZ=Europe/Berlin 0 10 * * SAT", "Sat 10:00 Europe/Berlin"},
		"only on the holiday":               {"CRON_TZ=Europe/Berlin 0 10 25 12 *", ""},
		"hourly":                            {"@hourly", "Thu 02:00 Europe/Berlin"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			sched, err := cron.ParseStandard(tc.schedule)
			g.Expect(err).NotTo(HaveOccurred())
			got, ok := Conflict(c, sched, from)
			g.Expect(ok).To(Equal(tc.want != ""))
			g.Expect(got).To(Equal(tc.want))
		})
	}
	until, ok := HolidayUntil(c, time.Date(2026, 12, 25, 9, 0, 0, 0, berlin))
	NewWithT(t).Expect(ok).To(BeTrue())
	NewWithT(t).Expect(until).To(BeTemporally("==", time.Date(2026, 12, 26, 0, 0, 0, 0, berlin)))
}
