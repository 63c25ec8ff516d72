package view

import (
	"fmt"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/stages"
)

// Status renders the one-screen view of a program at now.
func Status(p Program, now time.Time, s Style) string {
	sections := []string{
		header(p, now, s),
		timeline(&p.Initiative, now, s),
		gates(&p.Initiative, s),
		indicators(p.Indicators, now, s),
		funnel(p.Initiative.Status.Funnel, s),
		risk(&p.Initiative, s),
		reminders(&p.Initiative, now, s),
		recognition(p.Campaigns, now, s),
	}
	var out []string
	for _, sec := range sections {
		if sec != "" {
			out = append(out, sec)
		}
	}
	return strings.Join(out, "\n")
}

func header(p Program, now time.Time, s Style) string {
	it := &p.Initiative
	st := it.Status
	rows := [][]string{
		{"Initiative:", s.paint(bold, it.Namespace+"/"+it.Name)},
		{"Why:", it.Spec.Why},
	}
	stage := s.dash()
	if st.Stage != "" {
		stage = fmt.Sprintf("%s (%d of %d)", st.Stage, indexOf(stages.Names(it.Spec), st.Stage)+1, len(stages.Names(it.Spec)))
	}
	rows = append(rows, []string{"Stage:", stage})
	var progress int32
	if st.Progress != nil {
		progress = *st.Progress
	}
	rows = append(rows, []string{"Progress:", fmt.Sprintf("%s %d%%", s.bar(progress, 20), progress)})
	if c := condition(st.Conditions, v1alpha1.ConditionReady); c != nil {
		rows = append(rows, []string{"Ready:", s.word(string(c.Status)) + " " + c.Reason + ": " + c.Message})
	} else {
		rows = append(rows, []string{"Ready:", "not reconciled yet"})
	}
	if c := condition(st.Conditions, v1alpha1.ConditionStalled); c != nil && c.Status == metav1.ConditionTrue {
		rows = append(rows, []string{"Stalled:", s.paint(red, c.Reason) + ": " + c.Message})
	}
	if it.Spec.Suspend != nil && *it.Spec.Suspend {
		rows = append(rows, []string{"Suspended:", "yes: stage progression and reminders are paused"})
	}
	if st.LastProgressTime != nil {
		rows = append(rows, []string{"Last progress:", age(now.Sub(st.LastProgressTime.Time)) + " ago"})
	}
	return table("", rows)
}

func indexOf(list []string, v string) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

// timeline lists every stage: those entered (from status.history) with
// their dates and why they were left, then the upcoming ones with how many
// of their criteria current data meets.
func timeline(it *v1alpha1.Initiative, now time.Time, s Style) string {
	rows := [][]string{{"", "STAGE", "ENTERED", "LEFT", "DURATION", "NOTE"}}
	entered := map[string]bool{}
	for _, h := range it.Status.History {
		entered[h.Name] = true
		rows = append(rows, historyRow(it, h, now, s))
	}
	for _, plan := range it.Status.Stages {
		if entered[plan.Name] || plan.State != v1alpha1.StageUpcoming {
			continue
		}
		rows = append(rows, []string{" ", plan.Name, s.dash(), s.dash(), s.dash(), upcomingNote(it, plan)})
	}
	return heading(s, "Stages") + table("  ", rows)
}

// upcomingNote says what an upcoming stage will need, from the dry run.
func upcomingNote(it *v1alpha1.Initiative, plan v1alpha1.StagePlan) string {
	names := stages.Names(it.Spec)
	switch {
	case plan.Total > 0:
		return fmt.Sprintf("%d of %d criteria met on current data", plan.Met, plan.Total)
	case indexOf(names, plan.Name) == len(names)-1:
		return "the last stage: no exit"
	}
	return "no criteria: left only through an approval"
}

func historyRow(it *v1alpha1.Initiative, h v1alpha1.StageRecord, now time.Time, s Style) []string {
	if h.ExitedAt != nil {
		return []string{s.check(true), h.Name, date(h.EnteredAt.Time), date(h.ExitedAt.Time),
			age(h.ExitedAt.Sub(h.EnteredAt.Time)), h.Reason}
	}
	in := now.Sub(h.EnteredAt.Time)
	note := "current"
	if spec := stageSpec(it, h.Name); spec != nil && spec.TargetDuration != nil {
		target := spec.TargetDuration.Duration
		note = fmt.Sprintf("current: %s of target %s", age(in), age(target))
		if in > target {
			note = s.paint(red, fmt.Sprintf("current: %s, overdue (target %s)", age(in), age(target)))
		}
	}
	return []string{s.arrow(), s.paint(bold, h.Name), date(h.EnteredAt.Time), s.dash(), age(in), note}
}

// gates lists the current stage's exit criteria.
func gates(it *v1alpha1.Initiative, s Style) string {
	gs := it.Status.Gates
	if len(gs) == 0 {
		if it.Status.Stage == "" {
			return ""
		}
		return heading(s, "Gates of %s", it.Status.Stage) + "  none: this is the last stage, or it is left only through an approval\n"
	}
	met := 0
	rows := make([][]string, 0, len(gs))
	for _, g := range gs {
		if g.Met {
			met++
		}
		rows = append(rows, []string{s.check(g.Met), string(g.Kind), g.Name, g.Message})
	}
	return heading(s, "Gates of %s (%d of %d met)", it.Status.Stage, met, len(gs)) + table("  ", rows)
}
