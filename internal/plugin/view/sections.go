package view

import (
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// indicators lists every indicator with value against target, health,
// trend and a sparkline of its recorded history.
func indicators(inds []v1alpha1.LeadingIndicator, now time.Time, s Style) string {
	if len(inds) == 0 {
		return heading(s, "Indicators") + "  none reference this initiative\n"
	}
	rows := [][]string{{colName, "CATEGORY", "VALUE", "TARGET", "HEALTH", "TREND", "HISTORY", "MEASURED"}}
	for _, li := range inds {
		st := li.Status
		value, measured := s.dash(), s.dash()
		if st.Value != nil {
			value = withUnit(st.Value.String(), li.Spec.Unit)
		}
		if st.MeasuredAt != nil {
			measured = age(now.Sub(st.MeasuredAt.Time)) + " ago"
		}
		health, trend := orUnknown(string(st.Health)), orUnknown(string(st.Trend))
		if st.Freshness == v1alpha1.Stale {
			health += " (stale)"
		}
		rows = append(rows, []string{li.Name, string(li.Spec.Category), value, target(li.Spec.Target),
			s.paint(healthColour(string(st.Health)), health), s.word(trend), s.spark(historyValues(st.History)), measured})
	}
	return heading(s, "Indicators") + table("  ", rows)
}

func orUnknown(w string) string {
	if w == "" {
		return "Unknown"
	}
	return w
}

func historyValues(h []v1alpha1.Measurement) []float64 {
	out := make([]float64, 0, len(h))
	for _, m := range h {
		out = append(out, m.Value.Float64())
	}
	return out
}

// funnel shows awareness → understanding → belief → action with the
// weakest link marked.
func funnel(f *v1alpha1.Funnel, s Style) string {
	if f == nil || len(f.Levels) == 0 {
		return ""
	}
	weakest := weakestLevel(f)
	rows := make([][]string, 0, len(f.Levels))
	for _, l := range f.Levels {
		ind, vt := "no indicator", ""
		if l.Indicator != "" {
			ind = l.Indicator
		}
		if l.Value != nil && l.Target != nil {
			vt = l.Value.String() + " / " + l.Target.String()
		}
		mark := ""
		if l.Level == weakest {
			mark = s.paint(red, "<- weakest link")
			if s.Fancy {
				mark = s.paint(red, "◀ weakest link")
			}
		}
		rows = append(rows, []string{string(l.Level), s.word(string(l.Health)), ind, vt, mark})
	}
	return heading(s, "Funnel") + table("  ", rows) + "  " + f.WeakestLink + "\n"
}

// risk lists the MomentumAtRisk blockers, most severe first.
func risk(it *v1alpha1.Initiative, s Style) string {
	c := condition(it.Status.Conditions, v1alpha1.ConditionMomentumAtRisk)
	if c == nil {
		return ""
	}
	if c.Status != metav1.ConditionTrue {
		return heading(s, "Momentum") + "  " + s.paint(green, "on track") + "\n"
	}
	out := heading(s, "Momentum at risk (%s)", c.Reason)
	for _, r := range riskReasons(it) {
		out += "  " + s.paint(red, "!") + " " + r + "\n"
	}
	return out
}

// reminders lists each reminder's next and last deliveries.
func reminders(it *v1alpha1.Initiative, now time.Time, s Style) string {
	rs := it.Status.Reminders
	if len(rs) == 0 {
		return ""
	}
	rows := [][]string{{colName, "NEXT", "LAST SENT", "LAST DELIVERED", "STATE"}}
	for _, r := range rs {
		state := s.paint(green, "ok")
		switch {
		case failing(r):
			state = s.paint(red, "failing since "+date(r.LastFailureTime.Time))
		case r.Suspended:
			state = s.paint(grey, "suspended")
		}
		rows = append(rows, []string{r.Name, when(r.NextScheduleTime, now, s), when(r.LastScheduleTime, now, s), when(r.LastSuccessfulTime, now, s), state})
	}
	return heading(s, "Reminders") + table("  ", rows)
}

// when prints a time with its distance from now, or a dash.
func when(t *metav1.Time, now time.Time, s Style) string {
	if t == nil {
		return s.dash()
	}
	d := now.Sub(t.Time)
	if d < 0 {
		return fmt.Sprintf("%s (%s)", date(t.Time), age(d))
	}
	return fmt.Sprintf("%s (%s ago)", date(t.Time), age(d))
}

// recognition summarises each campaign's nominations.
func recognition(camps []v1alpha1.RecognitionCampaign, now time.Time, s Style) string {
	if len(camps) == 0 {
		return ""
	}
	rows := [][]string{{"CAMPAIGN", "NOMINATIONS", "PENDING", "SPOTLIGHTED", "REJECTED", "LEADERSHIP", "NEXT SPOTLIGHT"}}
	for _, c := range camps {
		st := c.Status
		leadership := s.dash()
		if st.LeadershipShare != nil {
			leadership = fmt.Sprintf("%d%%", *st.LeadershipShare)
		}
		rows = append(rows, []string{c.Name, count(st.Nominations), count(st.Pending), count(st.Spotlighted),
			fmt.Sprint(len(st.Rejected)), leadership, when(st.NextPublicationTime, now, s)})
	}
	return heading(s, "Recognition") + table("  ", rows)
}

func count(n *int32) string {
	if n == nil {
		return "0"
	}
	return fmt.Sprint(*n)
}
