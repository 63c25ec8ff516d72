package initiative

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/due"
	"github.com/momentum-dev/momentum/internal/stages"
)

// faults are what keeps the initiative's deliveries from being scheduled.
type faults struct {
	// invalid says which reminder cannot be rendered or scheduled and why.
	invalid []string
	// missingChannels names Channels reminders or celebrations reference
	// that do not exist.
	missingChannels []string
	// unreadyChannels names Channels that exist but are not Ready.
	unreadyChannels []string
	// ledgerInvalid says why the delivery ledger cannot be read.
	ledgerInvalid string
}

// channelFaults gathers the faults of the reminder and celebration plans.
func channelFaults(reminders reminderPlan, wins celebrationPlan) faults {
	f := faults{invalid: reminders.invalid, missingChannels: reminders.missingChannels, unreadyChannels: reminders.unreadyChannels,
		ledgerInvalid: wins.ledgerInvalid}
	if wins.missingChannel != "" {
		f.missingChannels = sortedUnique(append(slices.Clone(f.missingChannels), wins.missingChannel))
	}
	if wins.unreadyChannel != "" {
		f.unreadyChannels = sortedUnique(append(slices.Clone(f.unreadyChannels), wins.unreadyChannel))
	}
	return f
}

// sortedUnique sorts names and drops repeats.
func sortedUnique(names []string) []string {
	return slices.Compact(slices.Sorted(slices.Values(names)))
}

// readyCondition is the initiative's Ready condition, most pressing problem
// first: the Stalled reason it implies, and whether it deserves a Warning.
func readyCondition(obj *v1alpha1.Initiative, out stages.Outcome, f faults, pending bool) (metav1.Condition, string, bool) {
	switch {
	case f.ledgerInvalid != "":
		return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonLedgerInvalid, f.ledgerInvalid), v1alpha1.ReasonLedgerInvalid, true
	case len(f.invalid) > 0:
		return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonTemplateInvalid, fmt.Sprintf(
			"%s: fix spec.reminders (the last good CronJob is kept until then)", strings.Join(f.invalid, "; "))), v1alpha1.ReasonTemplateInvalid, true
	case len(out.MissingIndicators) > 0:
		return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonIndicatorNotFound, fmt.Sprintf(
			"LeadingIndicator %s not found in namespace %s: create it, or remove it from spec.stages[].exitCriteria.indicators",
			strings.Join(out.MissingIndicators, ", "), obj.Namespace)), "", true
	case len(f.missingChannels) > 0:
		return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonChannelNotFound, fmt.Sprintf(
			"Channel %s named in spec.reminders or spec.celebrations not found in namespace %s: create it, or fix the name",
			strings.Join(f.missingChannels, ", "), obj.Namespace)), "", true
	case len(f.unreadyChannels) > 0:
		ready, warn := conditions.ChannelWait(pending, sortedUnique(f.unreadyChannels), obj.Namespace, "anything is scheduled", "so nothing is scheduled to it")
		return ready, "", warn
	case suspended(obj):
		return conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonSuspended, fmt.Sprintf(
			"Suspended in stage %s (%s): set spec.suspend to false to resume progression", out.Stage, metCount(out.Gates))), "", false
	case out.Final:
		return conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonFinalStage, fmt.Sprintf("In final stage %s", out.Stage)), "", false
	}
	return conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonStageInProgress, fmt.Sprintf(
		"In stage %s, %s; waiting on: %s", out.Stage, metCount(out.Gates), unmet(out.Gates, 3))), "", false
}

// quietHoursReady turns a passing Ready into QuietHoursConflict when a
// reminder or the review digest fires in quiet hours, and says whether it
// did; a Ready that already reports a fault keeps it.
func quietHoursReady(obj *v1alpha1.Initiative, ready metav1.Condition, now time.Time) (metav1.Condition, bool) {
	if ready.Status != metav1.ConditionTrue {
		return ready, false
	}
	found := quietConflicts(obj, now)
	if len(found) == 0 {
		return ready, false
	}
	return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonQuietHoursConflict, fmt.Sprintf(
		"%s, in quiet hours: move the schedule into spec.quietHours.allow or widen the allowed hours (it still runs as scheduled)",
		strings.Join(found, "; "))), true
}

// nameConflictRecheck is how often a taken name is looked at again: the
// object holding it is not Momentum's, so no event says when it is gone.
const nameConflictRecheck = time.Minute

// nameConflicts is the decision once the apply found children whose names
// are held by objects the initiative does not control: Ready False with
// NameConflict naming each, no win celebrated, and a look again in a
// minute. A stalled initiative keeps saying what to fix first.
func nameConflicts(obj *v1alpha1.Initiative, d decision, taken []string, now time.Time) decision {
	d.recheckAt = due.Earliest(d.recheckAt, now.Add(nameConflictRecheck))
	d.celebrated = nil
	if d.stalled != "" {
		return d
	}
	prev := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady)
	d.ready = conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonNameConflict, fmt.Sprintf(
		"%s: Momentum never changes or deletes an object it does not control; delete or rename that object, or rename the reminder (checked again every minute)",
		strings.Join(taken, "; ")))
	d.events = append(slices.Clone(d.events), conditions.Warning(prev, d.ready)...)
	return d
}

func metCount(gates []v1alpha1.GateStatus) string {
	met := 0
	for _, g := range gates {
		if g.Met {
			met++
		}
	}
	return fmt.Sprintf("%d of %d exit criteria met", met, len(gates))
}

func unmet(gates []v1alpha1.GateStatus, most int) string {
	var msgs []string
	for _, g := range gates {
		if !g.Met {
			msgs = append(msgs, g.Message)
		}
	}
	if len(msgs) > most {
		msgs = append(msgs[:most], fmt.Sprintf("and %d more", len(msgs)-most))
	}
	return strings.Join(msgs, "; ")
}
