package initiative

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestFreezeOf(t *testing.T) {
	cases := map[string]struct {
		quiet *v1alpha1.QuietHours
		name  string // "" for no freeze
	}{
		"no calendar":        {},
		"no freeze now":      {quiet: &v1alpha1.QuietHours{Freezes: []v1alpha1.Freeze{{Name: "year-end", From: "2026-12-20", To: "2027-01-02"}}}},
		"in a freeze":        {quiet: &v1alpha1.QuietHours{Freezes: []v1alpha1.Freeze{{Name: "launch", From: "2026-11-19", To: "2026-11-21"}}}, name: "launch"},
		"an unreadable zone": {quiet: &v1alpha1.QuietHours{TimeZone: "Nowhere/Nothing", Freezes: []v1alpha1.Freeze{{Name: "launch", From: "2026-11-19", To: "2026-11-21"}}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			obj := fixture()
			obj.Spec.QuietHours = tc.quiet
			f := freezeOf(obj, t0)
			if tc.name == "" {
				g.Expect(f).To(BeNil())
				return
			}
			g.Expect(f).NotTo(BeNil())
			g.Expect(f.Name).To(Equal(tc.name))
			g.Expect(f.Until.After(t0)).To(BeTrue())
		})
	}
}

func TestQuietConflicts(t *testing.T) {
	workdays := &v1alpha1.QuietHours{Allow: []v1alpha1.AllowedWindow{{Days: []v1alpha1.DayRange{"Mon-Fri"}, From: "08:00", To: "18:00"}}}
	cases := map[string]struct {
		quiet    *v1alpha1.QuietHours
		schedule v1alpha1.CronSchedule
		digest   bool
		want     int
	}{
		"no quiet hours":                {schedule: "0 9 * * *"},
		"in the allowed hours":          {quiet: workdays, schedule: "0 9 * * 1-5"},
		"on weekends too":               {quiet: workdays, schedule: "0 9 * * *", want: 1},
		"the digest at night, too":      {quiet: workdays, schedule: "0 23 * * 1-5", digest: true, want: 2},
		"a broken schedule is not here": {quiet: workdays, schedule: "61 * * * *"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			obj := fixture(v1alpha1.Reminder{Name: "standup", Schedule: tc.schedule, Channel: "team", Message: "hi"})
			obj.Spec.QuietHours = tc.quiet
			if tc.digest {
				obj.Spec.ReviewReminder = &v1alpha1.ReviewReminder{Schedule: tc.schedule, Channel: "team"}
			}
			NewWithT(t).Expect(quietConflicts(obj, t0)).To(HaveLen(tc.want))
		})
	}
}

func TestReviewsDueAndDigestText(t *testing.T) {
	commitment := func(name string, created time.Time) v1alpha1.Commitment {
		c := v1alpha1.Commitment{ObjectMeta: metav1.ObjectMeta{Name: name, CreationTimestamp: metav1.NewTime(created)}}
		c.Spec.Owner.Name, c.Spec.Reviewer = name, "Sam"
		c.Spec.Actions = []v1alpha1.CommitmentAction{{Name: "a", Horizon: v1alpha1.Horizon3Months}}
		return c
	}
	cases := map[string]struct {
		owners []v1alpha1.Commitment
		// lines is how many reviews are due; opens whether one opens later.
		lines int
		opens bool
		text  string
	}{
		"none":                       {text: "No Success Index review is due."},
		"one long overdue":           {owners: []v1alpha1.Commitment{commitment("dana", t0.AddDate(-1, 0, 0))}, lines: 1, text: "- dana with Sam: review due by"},
		"one whose quarter is ahead": {owners: []v1alpha1.Commitment{commitment("lee", t0.AddDate(0, 1, 0))}, opens: true, text: "No Success Index review is due."},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			lines, opens := reviewsDue(tc.owners, t0)
			g.Expect(lines).To(HaveLen(tc.lines))
			g.Expect(opens.IsZero()).To(Equal(!tc.opens))
			g.Expect(digestText(fixture(), lines)).To(ContainSubstring(tc.text))
		})
	}
}

func TestDigestTextIsBounded(t *testing.T) {
	g := NewWithT(t)
	lines := make([]string, maxDigestEntries+5)
	for i := range lines {
		lines[i] = "- someone"
	}
	g.Expect(digestText(fixture(), lines)).To(HaveSuffix("… and 5 more: kubectl get commitments -n culture"))
}

func TestMomentumRisk(t *testing.T) {
	stale := v1alpha1.LeadingIndicator{ObjectMeta: metav1.ObjectMeta{Name: "nps"}, Status: v1alpha1.LeadingIndicatorStatus{Freshness: v1alpha1.Stale}}
	cases := map[string]struct {
		inds   []v1alpha1.LeadingIndicator
		atRisk bool
	}{
		"nothing holds it back": {},
		"a stale indicator":     {inds: []v1alpha1.LeadingIndicator{stale}, atRisk: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			obj := fixture()
			obj.Status.LastProgressTime = &metav1.Time{Time: t0}
			risk := momentumRisk(obj, stagesOutcome("Initiation"), tc.inds, t0)
			g.Expect(risk.AtRisk).To(Equal(tc.atRisk))
			g.Expect(risk.Reason).NotTo(BeEmpty())
		})
	}
}
