package sources

import (
	"testing"
	"time"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestRecognition(t *testing.T) {
	// 2026-11-20 is a Friday; the window is 2026-10-24 through 2026-11-20.
	now := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	share := func(v int32) *int32 { return &v }
	nom := func(name, at string) v1alpha1.Nomination {
		return v1alpha1.Nomination{Name: name, Nominee: "n", NominatedBy: "b", Behavior: "b", Story: "s", At: at}
	}
	campaign := func(noms []v1alpha1.Nomination, rejected ...string) *v1alpha1.RecognitionCampaign {
		c := &v1alpha1.RecognitionCampaign{Spec: v1alpha1.RecognitionCampaignSpec{Nominations: noms}}
		for _, r := range rejected {
			c.Status.Rejected = append(c.Status.Rejected, v1alpha1.RejectedNomination{Name: r, Reason: "no"})
		}
		return c
	}
	withShares := &v1alpha1.RecognitionCampaign{Status: v1alpha1.RecognitionCampaignStatus{LeadershipShare: share(40), PeerShare: share(60)}}
	zeroShare := &v1alpha1.RecognitionCampaign{Status: v1alpha1.RecognitionCampaignStatus{LeadershipShare: share(0), PeerShare: share(100)}}
	recent := campaign([]v1alpha1.Nomination{
		nom("today", "2026-11-20"),
		nom("yesterday", "2026-11-19"),
		nom("oldest-in-window", "2026-10-24"),
		nom("just-outside", "2026-10-23"),
		nom("long-ago", "2025-11-20"),
		nom("tomorrow", "2026-11-21"),
		nom("rejected", "2026-11-18"),
		nom("bad-date", "20.11.2026"),
	}, "rejected")

	tests := []struct {
		name      string
		c         *v1alpha1.RecognitionCampaign
		measure   v1alpha1.RecognitionMeasure
		now       time.Time
		want      v1alpha1.Decimal
		wantClass string
	}{
		{name: "leadership share", c: withShares, measure: v1alpha1.MeasureLeadershipShare, want: "40"},
		{name: "peer share", c: withShares, measure: v1alpha1.MeasurePeerShare, want: "60"},
		{name: "zero share is a value", c: zeroShare, measure: v1alpha1.MeasureLeadershipShare, want: "0"},
		{name: "no leadership share yet", c: campaign(nil), measure: v1alpha1.MeasureLeadershipShare, wantClass: ClassSourceUnavailable},
		{name: "no peer share yet", c: campaign(nil), measure: v1alpha1.MeasurePeerShare, wantClass: ClassSourceUnavailable},
		{name: "per week counts the window", c: recent, measure: v1alpha1.MeasureNominationsPerWeek, want: "0.75"},
		{name: "per week late in the day", c: recent, measure: v1alpha1.MeasureNominationsPerWeek, now: time.Date(2026, 11, 20, 23, 59, 59, 0, time.UTC), want: "0.75"},
		{name: "per week a day later", c: recent, measure: v1alpha1.MeasureNominationsPerWeek, now: now.AddDate(0, 0, 1), want: "0.75"},
		{name: "per week in now's time zone", c: recent, measure: v1alpha1.MeasureNominationsPerWeek, now: time.Date(2026, 11, 21, 1, 0, 0, 0, time.FixedZone("UTC+2", 2*3600)), want: "0.75"},
		{name: "per week none", c: campaign(nil), measure: v1alpha1.MeasureNominationsPerWeek, want: "0"},
		{name: "per week whole", c: campaign([]v1alpha1.Nomination{nom("a", "2026-11-01"), nom("b", "2026-11-02"), nom("c", "2026-11-03"), nom("d", "2026-11-04")}), measure: v1alpha1.MeasureNominationsPerWeek, want: "1"},
		{name: "per week five", c: campaign([]v1alpha1.Nomination{nom("a", "2026-11-01"), nom("b", "2026-11-02"), nom("c", "2026-11-03"), nom("d", "2026-11-04"), nom("e", "2026-11-05")}), measure: v1alpha1.MeasureNominationsPerWeek, want: "1.25"},
		{name: "unknown measure", c: withShares, measure: "Mood", wantClass: ClassInvalidSpec},
		{name: "no campaign", measure: v1alpha1.MeasurePeerShare, wantClass: ClassInvalidSpec},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := tt.now
			if at.IsZero() {
				at = now
			}
			got, err := Recognition(tt.c, tt.measure, at)
			if tt.wantClass != "" {
				if ClassOf(err) != tt.wantClass {
					t.Fatalf("Recognition() = %q, %v; want a %s error", got, err, tt.wantClass)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Recognition() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}

	_, err := Recognition(campaign(nil), v1alpha1.MeasureLeadershipShare, now)
	if err == nil || err.Error() != "campaign has no qualifying nominations yet" {
		t.Errorf("nil share error = %v", err)
	}
}
