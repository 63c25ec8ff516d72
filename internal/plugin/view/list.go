package view

import (
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// List renders initiatives one per line: stage, a progress bar, readiness,
// the momentum risk and the funnel's weakest link. allNamespaces adds a
// NAMESPACE column, as `kubectl get -A` does.
func List(items []v1alpha1.Initiative, allNamespaces bool, s Style) string {
	if len(items) == 0 {
		return "No initiatives found.\n"
	}
	head := []string{colName, "STAGE", "PROGRESS", "READY", "RISK", "WEAKEST LINK"}
	if allNamespaces {
		head = append([]string{"NAMESPACE"}, head...)
	}
	rows := [][]string{head}
	for i := range items {
		row := listRow(&items[i], s)
		if allNamespaces {
			row = append([]string{items[i].Namespace}, row...)
		}
		rows = append(rows, row)
	}
	return table("", rows)
}

func listRow(it *v1alpha1.Initiative, s Style) []string {
	st := it.Status
	var progress int32
	if st.Progress != nil {
		progress = *st.Progress
	}
	stage := st.Stage
	if stage == "" {
		stage = s.dash()
	}
	ready := "Unknown"
	if c := condition(st.Conditions, v1alpha1.ConditionReady); c != nil {
		ready = string(c.Status)
	}
	if c := condition(st.Conditions, v1alpha1.ConditionStalled); c != nil && c.Status == metav1.ConditionTrue {
		ready = "Stalled"
	}
	riskText := s.dash()
	if c := condition(st.Conditions, v1alpha1.ConditionMomentumAtRisk); c != nil {
		riskText = s.paint(green, c.Reason)
		if c.Status == metav1.ConditionTrue {
			riskText = s.paint(red, c.Reason)
			if n := len(riskReasons(it)); n > 1 {
				riskText += fmt.Sprintf(" (+%d)", n-1)
			}
		}
	}
	weakest := s.dash()
	if st.Funnel != nil && st.Funnel.WeakestLink != "" {
		weakest = st.Funnel.WeakestLink
	}
	return []string{it.Name, stage, fmt.Sprintf("%s %3d%%", s.bar(progress, 10), progress), s.word(ready), riskText, weakest}
}
