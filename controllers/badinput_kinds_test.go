package controllers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// The API server rejects bad calendars and Success Index settings on the
// initiative, naming the field.
func TestAPIServerRejectsBadQuietHours(t *testing.T) {
	ns := namespace(t)
	tests := map[string]struct {
		mutate func(it *v1alpha1.Initiative)
		want   string
	}{
		"window closing before it opens": {func(it *v1alpha1.Initiative) { it.Spec.QuietHours.Allow[0].To = "08:00" },
			"spec.quietHours.allow[0]: Invalid value: from must be before to"},
		"a time that does not exist": {func(it *v1alpha1.Initiative) { it.Spec.QuietHours.Allow[0].From = "24:00" },
			"spec.quietHours.allow[0].from: Invalid value: \"24:00\""},
		"a day that is not a weekday": {func(it *v1alpha1.Initiative) { it.Spec.QuietHours.Allow[0].Days = []v1alpha1.DayRange{"Monday"} },
			"spec.quietHours.allow[0].days[0]: Invalid value: \"Monday\""},
		"an impossible holiday": {func(it *v1alpha1.Initiative) { it.Spec.QuietHours.Holidays = []v1alpha1.Date{"2026-02-30"} },
			"spec.quietHours.holidays[0]: Invalid value"},
		"an unknown time zone": {func(it *v1alpha1.Initiative) { it.Spec.QuietHours.TimeZone = "Mars/Olympus" },
			"spec.quietHours.timeZone"},
		"a freeze ending before it starts": {func(it *v1alpha1.Initiative) {
			it.Spec.QuietHours.Freezes = []v1alpha1.Freeze{{Name: "year-end", From: "2027-01-03", To: "2026-12-21"}}
		}, "spec.quietHours.freezes[0]: Invalid value: from must not be after to"},
		"a confidentiality floor that identifies people": {func(it *v1alpha1.Initiative) { it.Spec.ConfidentialityFloor = ptr.To[int32](2) },
			"spec.confidentialityFloor: Invalid value: 2: spec.confidentialityFloor in body should be greater than or equal to 3"},
		"a reminder named like the review digest": {func(it *v1alpha1.Initiative) {
			it.Spec.ReviewReminder = &v1alpha1.ReviewReminder{Channel: "all-hands", Schedule: "0 10 * * MON"}
			it.Spec.Reminders = []v1alpha1.Reminder{{Name: "review-digest", Schedule: "@weekly", Channel: "all-hands", Message: "x"}}
		}, "spec.reminders: Invalid value: spec.reminders[].name review-digest is taken"},
		"a review digest with a bad schedule": {func(it *v1alpha1.Initiative) {
			it.Spec.ReviewReminder = &v1alpha1.ReviewReminder{Channel: "all-hands", Schedule: "every monday"}
		}, "spec.reviewReminder.schedule: Invalid value"},
		"too many holidays": {func(it *v1alpha1.Initiative) {
			for d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); len(it.Spec.QuietHours.Holidays) <= 60; d = d.AddDate(0, 0, 1) {
				it.Spec.QuietHours.Holidays = append(it.Spec.QuietHours.Holidays, v1alpha1.Date(d.Format(time.DateOnly)))
			}
		}, "spec.quietHours.holidays: Too many: 61: must have at most 60 items"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			it := newInitiative(ns, "bad")
			it.Spec.QuietHours = officeHours()
			tc.mutate(it)
			err := k8s.Create(context.Background(), it)
			g.Expect(apierrors.IsInvalid(err)).To(BeTrue(), "%v", err)
			g.Expect(err.Error()).To(ContainSubstring(tc.want))
		})
	}
}

// The API server rejects bad campaigns whole; nominations for behaviors the
// campaign does not recognise are accepted and reported instead.
func TestAPIServerRejectsBadCampaigns(t *testing.T) {
	ns := namespace(t)
	tests := map[string]struct {
		mutate func(*v1alpha1.RecognitionCampaign)
		want   []string
	}{
		"valid, with a nomination for an unrecognised behavior": {
			mutate: func(*v1alpha1.RecognitionCampaign) {},
		},
		"duplicate nomination names": {
			mutate: func(c *v1alpha1.RecognitionCampaign) { c.Spec.Nominations[1].Name = c.Spec.Nominations[0].Name },
			want:   []string{"spec.nominations[1]: Duplicate value"},
		},
		"a date that is no date": {
			mutate: func(c *v1alpha1.RecognitionCampaign) { c.Spec.Nominations[0].At = "2026-13-45" },
			want:   []string{"spec.nominations[0].at", "must be of type date"},
		},
		"a bad cron expression": {
			mutate: func(c *v1alpha1.RecognitionCampaign) { c.Spec.Schedule = "every friday" },
			want:   []string{`spec.schedule: Invalid value: "every friday": must be a cron expression of five fields`},
		},
		"an unknown time zone": {
			mutate: func(c *v1alpha1.RecognitionCampaign) { c.Spec.TimeZone = "Mars/Olympus_Mons" },
			want:   []string{"spec.timeZone", "must be an IANA time zone name"},
		},
		"no behaviors": {
			mutate: func(c *v1alpha1.RecognitionCampaign) { c.Spec.Behaviors = nil },
			want:   []string{"spec.behaviors: Required value"},
		},
		"a story over its bound": {
			mutate: func(c *v1alpha1.RecognitionCampaign) { c.Spec.Nominations[0].Story = strings.Repeat("x", 1025) },
			want:   []string{"spec.nominations[0].story: Too long: may not be more than 1024 bytes"},
		},
	}
	i := 0
	for name, tc := range tests {
		i++
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			c := newCampaign(ns)
			c.Name = campaignName + "-" + strings.Repeat("x", i)
			tc.mutate(c)
			err := k8s.Create(context.Background(), c)
			if len(tc.want) == 0 {
				g.Expect(err).NotTo(HaveOccurred())
				return
			}
			g.Expect(apierrors.IsInvalid(err)).To(BeTrue(), "want Invalid, got %v", err)
			for _, w := range tc.want {
				g.Expect(err.Error()).To(ContainSubstring(w))
			}
		})
	}
}

// The API server rejects bad assessments whole, naming the field.
func TestAPIServerRejectsBadAssessments(t *testing.T) {
	ns := namespace(t)
	round := func(a *v1alpha1.CultureAssessment) *v1alpha1.AssessmentRound { return &a.Spec.Rounds[1] }
	tests := map[string]struct {
		mutate func(a *v1alpha1.CultureAssessment)
		want   string
	}{
		"no disciplines":          {func(a *v1alpha1.CultureAssessment) { a.Spec.Disciplines = nil; a.Spec.Rounds = nil }, "spec.disciplines: Required value"},
		"discipline name not DNS": {func(a *v1alpha1.CultureAssessment) { a.Spec.Disciplines[0].Name = "Customer Insight" }, "spec.disciplines[0].name: Invalid value"},
		"duplicate discipline": {func(a *v1alpha1.CultureAssessment) {
			a.Spec.Disciplines = append(a.Spec.Disciplines, a.Spec.Disciplines[0])
		}, "spec.disciplines[2]: Duplicate value"},
		"impossible round date":     {func(a *v1alpha1.CultureAssessment) { round(a).Date = "2026-13-01" }, "spec.rounds[1].date: Invalid value"},
		"leap day in a common year": {func(a *v1alpha1.CultureAssessment) { round(a).Date = "2027-02-29" }, "spec.rounds[1].date: Invalid value"},
		"negative respondents":      {func(a *v1alpha1.CultureAssessment) { round(a).Respondents = -1 }, "spec.rounds[1].respondents: Invalid value: -1"},
		"score for an unknown discipline": {func(a *v1alpha1.CultureAssessment) {
			round(a).Scores = append(round(a).Scores, v1alpha1.DisciplineScore{Discipline: "astrology", Score: "4"})
		}, "spec.rounds: Invalid value: every spec.rounds[].scores[].discipline must name a discipline in spec.disciplines"},
		"segment score for an unknown discipline": {func(a *v1alpha1.CultureAssessment) {
			round(a).Segments[0].Scores[0].Discipline = "astrology"
		}, "every spec.rounds[].segments[].scores[].discipline must name a discipline"},
		"a round without scores": {func(a *v1alpha1.CultureAssessment) { round(a).Scores = nil }, "spec.rounds[1].scores: Required value"},
		"theme over its bound":   {func(a *v1alpha1.CultureAssessment) { round(a).Themes = []string{strings.Repeat("x", 513)} }, "spec.rounds[1].themes[0]: Too long: may not be more than 512 bytes"},
		"too many segments": {func(a *v1alpha1.CultureAssessment) {
			for i := range 41 {
				round(a).Segments = append(round(a).Segments, v1alpha1.SegmentScores{Name: strings.Repeat("s", i+1), Respondents: 9, Scores: disciplineScores("empowerment", "3")})
			}
		}, "spec.rounds[1].segments: Too many: 44: must have at most 40 items"},
		"two rounds on one date": {func(a *v1alpha1.CultureAssessment) { round(a).Date = a.Spec.Rounds[0].Date }, "spec.rounds[1]: Duplicate value"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			a := newAssessment(ns, "bad", "customer-first")
			tc.mutate(a)
			err := k8s.Create(context.Background(), a)
			g.Expect(apierrors.IsInvalid(err)).To(BeTrue(), "%v", err)
			g.Expect(err.Error()).To(ContainSubstring(tc.want))
		})
	}
}

// The API server rejects bad commitments whole, naming the field.
func TestAPIServerRejectsBadCommitments(t *testing.T) {
	ns := namespace(t)
	tests := map[string]struct {
		mutate func(c *v1alpha1.Commitment)
		want   string
	}{
		"no actions":                 {func(c *v1alpha1.Commitment) { c.Spec.Actions = nil }, "spec.actions: Required value"},
		"unknown horizon":            {func(c *v1alpha1.Commitment) { c.Spec.Actions[0].Horizon = "12m" }, `spec.actions[0].horizon: Unsupported value: "12m"`},
		"impossible due date":        {func(c *v1alpha1.Commitment) { c.Spec.Actions[0].Due = "2026-02-30" }, "spec.actions[0].due: Invalid value"},
		"due date in another format": {func(c *v1alpha1.Commitment) { c.Spec.Actions[0].Due = "31/12/2026" }, "spec.actions[0].due: Invalid value"},
		"unknown action status":      {func(c *v1alpha1.Commitment) { c.Spec.Actions[0].Status = "Blocked" }, `spec.actions[0].status: Unsupported value: "Blocked"`},
		"bad quarter": {func(c *v1alpha1.Commitment) {
			c.Spec.Reviews = []v1alpha1.CommitmentReview{reviewOf("2026-Q5", "2026-11-01", rated("coach-team", v1alpha1.OutcomeDone, 0))}
		}, "spec.reviews[0].quarter: Invalid value"},
		"review before its quarter": {func(c *v1alpha1.Commitment) {
			c.Spec.Reviews = []v1alpha1.CommitmentReview{reviewOf("2026-Q4", "2026-09-30", rated("coach-team", v1alpha1.OutcomeDone, 0))}
		}, "spec.reviews[0].date: Invalid value: date must not be before the start of the reviewed quarter"},
		"rating out of range": {func(c *v1alpha1.Commitment) {
			c.Spec.Reviews = []v1alpha1.CommitmentReview{reviewOf("2026-Q4", "2026-11-01", rated("coach-team", v1alpha1.OutcomeDone, 6))}
		}, "spec.reviews[0].outcomes[0].rating: Invalid value: 6"},
		"outcome for an unknown action": {func(c *v1alpha1.Commitment) {
			c.Spec.Reviews = []v1alpha1.CommitmentReview{reviewOf("2026-Q4", "2026-11-01", rated("fly-to-mars", v1alpha1.OutcomeDone, 0))}
		}, "spec.reviews: Invalid value: every spec.reviews[].outcomes[].action must name an action in spec.actions"},
		"no narrative": {func(c *v1alpha1.Commitment) {
			r := reviewOf("2026-Q4", "2026-11-01", rated("coach-team", v1alpha1.OutcomeDone, 0))
			r.Narrative = ""
			c.Spec.Reviews = []v1alpha1.CommitmentReview{r}
		}, "spec.reviews[0].narrative: Invalid value: \"\": spec.reviews[0].narrative in body should be at least 1 chars long"},
		"unknown confidence": {func(c *v1alpha1.Commitment) {
			r := reviewOf("2026-Q4", "2026-11-01", rated("coach-team", v1alpha1.OutcomeDone, 0))
			r.Confidence = "Certain"
			c.Spec.Reviews = []v1alpha1.CommitmentReview{r}
		}, `spec.reviews[0].confidence: Unsupported value: "Certain"`},
		"two reviews of one quarter": {func(c *v1alpha1.Commitment) {
			r := reviewOf("2026-Q4", "2026-11-01", rated("coach-team", v1alpha1.OutcomeDone, 0))
			c.Spec.Reviews = []v1alpha1.CommitmentReview{r, r}
		}, "spec.reviews[1]: Duplicate value"},
		"owner name over its bound": {func(c *v1alpha1.Commitment) { c.Spec.Owner.Name = strings.Repeat("x", 129) }, "spec.owner.name: Too long: may not be more than 128 bytes"},
		"bad email":                 {func(c *v1alpha1.Commitment) { c.Spec.Owner.Email = "dana" }, "spec.owner.email: Invalid value: \"dana\""},
		"too many actions": {func(c *v1alpha1.Commitment) {
			for i := range 21 {
				c.Spec.Actions = append(c.Spec.Actions, v1alpha1.CommitmentAction{Name: "a" + strings.Repeat("b", i), Horizon: v1alpha1.HorizonBeyond})
			}
		}, "spec.actions: Too many: 23: must have at most 20 items"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			c := newCommitment(ns, "bad", "customer-first", "Dana Lee")
			tc.mutate(c)
			err := k8s.Create(context.Background(), c)
			g.Expect(apierrors.IsInvalid(err)).To(BeTrue(), "%v", err)
			g.Expect(err.Error()).To(ContainSubstring(tc.want))
		})
	}
}
