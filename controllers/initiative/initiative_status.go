package initiative

import (
	"fmt"
	"slices"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/celebrate"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/due"
	"github.com/momentum-dev/momentum/internal/ledger"
	"github.com/momentum-dev/momentum/internal/momentum"
	"github.com/momentum-dev/momentum/internal/record"
	"github.com/momentum-dev/momentum/internal/stages"
)

// decision is everything decide works out for one reconcile.
type decision struct {
	ready     metav1.Condition
	stalled   string
	events    []record.Event
	entered   *stages.Transition
	recheckAt time.Time
	reminders reminderPlan
	// celebrations are the one-off Jobs that post new quick wins, and
	// celebrated their Events, emitted only once the Jobs exist.
	celebrations []*batchv1.Job
	celebrated   []record.Event
	// celebrationsBefore is status.celebrations as it was, to restore when
	// the wins cannot be posted.
	celebrationsBefore *v1alpha1.CelebrationStatus
	// deliveries follows the wins already under way.
	deliveries deliveryPlan
}

// decide writes the status fields the initiative owns (everything but the
// Ready/Reconciling/Stalled contract, which conditions.Finish applies) and
// returns the decision. It reads no API and no clock: all inputs are given.
func decide(obj *v1alpha1.Initiative, gateInds map[string]*v1alpha1.LeadingIndicator, ownInds []v1alpha1.LeadingIndicator, ch inputs, opts cronjobs.Options, now time.Time) decision {
	st := &obj.Status
	in := stages.Input{Spec: obj.Spec, Status: *st, Indicators: map[string]stages.Indicator{}, Now: now, Freeze: freezeOf(obj, now)}
	for name, ind := range gateInds {
		in.Indicators[name] = stages.Indicator{Health: ind.Status.Health, Freshness: ind.Status.Freshness, Value: ind.Status.Value, Target: ind.Spec.Target, History: ind.Status.History}
	}
	out := stages.Decide(in)
	var d decision
	prevReady := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionReady)

	if out.StageMissing {
		msg := fmt.Sprintf("Initiative %s/%s is in stage %s, which spec.stages no longer declares: add stage %s back to spec.stages to resume (history is kept)",
			obj.Namespace, obj.Name, st.Stage, st.Stage)
		d.ready = conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonStageNotFound, msg)
		d.stalled = v1alpha1.ReasonStageNotFound
		d.events = conditions.Warning(prevReady, d.ready)
		return d
	}

	st.LastProgressTime = lastProgress(st, out, ownInds, now)
	st.Stage, st.History, st.Gates, st.Stages = out.Stage, out.History, out.Gates, out.Plan
	st.HistoryTrimmed += out.HistoryTrimmed
	st.Funnel = momentum.Funnel(ownInds)
	st.StageEnteredAt = ptr.To(out.EnteredAt)
	st.Progress = ptr.To(out.Progress)
	st.Indicators = summarize(ownInds)
	if out.Entered != nil {
		d.entered = out.Entered
		// Starting is recorded in status.history; an Event marks each advance.
		if out.Entered.From != "" {
			d.events = append(d.events, record.Event{Type: corev1.EventTypeNormal, Reason: v1alpha1.EventReasonStageAdvanced,
				Note: fmt.Sprintf("Advanced from %s to %s: %s", out.Entered.From, out.Entered.To, out.Entered.Reason)})
		}
	}

	risk := momentum.Assess(momentum.Input{
		Indicators:     riskInputs(ownInds),
		Stage:          out.Stage,
		EnteredAt:      out.EnteredAt.Time,
		TargetDuration: targetDuration(obj.Spec, out.Stage),
		Final:          out.Final,
		LastProgress:   st.LastProgressTime.Time,
		Window:         momentumWindow(obj.Spec),
		Now:            now,
	})
	riskStatus := metav1.ConditionFalse
	if risk.AtRisk {
		riskStatus = metav1.ConditionTrue
	}
	conditions.Set(&st.Conditions, v1alpha1.ConditionMomentumAtRisk, riskStatus, risk.Reason, risk.Message, obj.Generation, now)

	d.reminders = planReminders(obj, ownInds, ch, opts, now)
	missingCelebrationChannel := planCelebrations(obj, ownInds, ch, opts, now, &d)
	if missingCelebrationChannel != "" {
		d.reminders.missingChannels = append(d.reminders.missingChannels, missingCelebrationChannel)
	}
	calendarAt := planSuccessAndCalendar(obj, ch, opts, now, &d)
	st.Reminders = d.reminders.statuses
	if len(obj.Spec.Reminders) > 0 || obj.Spec.ReviewReminder != nil || obj.Spec.Celebrations != nil {
		status, reason, msg := deliveryCondition(d.reminders.failing, d.deliveries.failing)
		conditions.Set(&st.Conditions, v1alpha1.ConditionDeliveryFailing, status, reason, msg, obj.Generation, now)
	} else {
		meta.RemoveStatusCondition(&st.Conditions, v1alpha1.ConditionDeliveryFailing)
	}

	d.recheckAt = due.Earliest(out.RecheckAt, risk.RecheckAt, d.reminders.nextAt, calendarAt, d.deliveries.retryAt)
	if out.Entered != nil && out.Ready && !out.Final && !suspended(obj) {
		d.recheckAt = now // the next stage's gates are met too: take it in its own step
	}

	var warn bool
	d.ready, d.stalled, warn = readyCondition(obj, out, d.reminders, ch.pending)
	if warn {
		d.events = append(d.events, conditions.Warning(prevReady, d.ready)...)
	}
	return d
}

// nameConflictRecheck is how often a taken name is looked at again: the
// object holding it is not Momentum's, so no event says when it is gone.
const nameConflictRecheck = time.Minute

// nameConflicts makes Ready False with NameConflict, naming each child whose
// name is held by an object the initiative does not control, and looks
// again in a minute. A stalled initiative keeps saying what to fix first.
func nameConflicts(obj *v1alpha1.Initiative, d *decision, taken []string, now time.Time) {
	d.recheckAt = due.Earliest(d.recheckAt, now.Add(nameConflictRecheck))
	d.celebrated = nil
	if d.stalled != "" {
		return
	}
	prev := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady)
	d.ready = conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonNameConflict, fmt.Sprintf(
		"%s: Momentum never changes or deletes an object it does not control; delete or rename that object, or rename the reminder (checked again every minute)",
		strings.Join(taken, "; ")))
	d.events = append(d.events, conditions.Warning(prev, d.ready)...)
}

func summarize(inds []v1alpha1.LeadingIndicator) *v1alpha1.IndicatorSummary {
	s := &v1alpha1.IndicatorSummary{Total: int32(len(inds))}
	for _, ind := range inds {
		switch ind.Status.Health {
		case v1alpha1.HealthOnTarget:
			s.OnTarget++
		case v1alpha1.HealthAtRisk:
			s.AtRisk++
		case v1alpha1.HealthOffTarget:
			s.OffTarget++
		default:
			s.Unknown++
		}
	}
	return s
}

func riskInputs(inds []v1alpha1.LeadingIndicator) []momentum.Indicator {
	out := make([]momentum.Indicator, 0, len(inds))
	for _, ind := range inds {
		out = append(out, momentum.Indicator{Name: ind.Name, Health: ind.Status.Health, Freshness: ind.Status.Freshness, Trend: ind.Status.Trend})
	}
	return out
}

func targetDuration(spec v1alpha1.InitiativeSpec, stage string) time.Duration {
	for _, s := range stages.Resolve(spec) {
		if s.Name == stage && s.TargetDuration != nil {
			return s.TargetDuration.Duration
		}
	}
	return 0
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

func suspended(obj *v1alpha1.Initiative) bool { return ptr.Deref(obj.Spec.Suspend, false) }

// lastProgress is when the program last moved: a stage entered, a gate of
// the current stage newly met, or an indicator of the initiative measured.
// It only moves forward, and only on evidence, so an idle reconcile keeps it.
func lastProgress(prev *v1alpha1.InitiativeStatus, out stages.Outcome, inds []v1alpha1.LeadingIndicator, now time.Time) *metav1.Time {
	latest := out.EnteredAt
	if prev.LastProgressTime != nil && prev.LastProgressTime.After(latest.Time) {
		latest = *prev.LastProgressTime
	}
	for _, ind := range inds {
		if at := ind.Status.MeasuredAt; at != nil && at.After(latest.Time) {
			latest = *at
		}
	}
	if out.Entered == nil && prev.Stage == out.Stage {
		wasMet := map[string]bool{}
		for _, g := range prev.Gates {
			wasMet[string(g.Kind)+"/"+g.Name] = g.Met
		}
		for _, g := range out.Gates {
			if met, known := wasMet[string(g.Kind)+"/"+g.Name]; g.Met && known && !met {
				latest = metav1.NewTime(now.UTC().Truncate(time.Second))
				break
			}
		}
	}
	return &latest
}

func momentumWindow(spec v1alpha1.InitiativeSpec) time.Duration {
	if spec.MomentumWindow == nil {
		return 0
	}
	return spec.MomentumWindow.Duration
}

// defaultCooldown is how long an indicator measured from Git samples must
// stay off target before reaching it again is a new win.
const defaultCooldown = 24 * time.Hour

// planCelebrations decides the quick wins to post and records them in
// status. Without the Channel nothing is posted or recorded, so the wins
// wait for it. It returns the missing Channel's name.
func planCelebrations(obj *v1alpha1.Initiative, inds []v1alpha1.LeadingIndicator, ch inputs, opts cronjobs.Options, now time.Time, d *decision) string {
	st := &obj.Status
	if obj.Spec.Celebrations == nil {
		st.Celebrations = nil // configuring them again starts afresh, silently
		return ""
	}
	channel, ok := ch.channels[obj.Spec.Celebrations.Channel]
	if !ok {
		return obj.Spec.Celebrations.Channel
	}
	if ch.notReady[channel.Name] {
		// Wins wait, unrecorded, until the Channel can deliver.
		d.reminders.unreadyChannels = append(d.reminders.unreadyChannels, channel.Name)
		return ""
	}
	in := make([]celebrate.Indicator, 0, len(inds))
	for _, ind := range inds {
		cooldown := defaultCooldown
		if src := ind.Spec.Source; src != nil {
			cooldown = intervalOf(src)
		}
		in = append(in, celebrate.Indicator{Name: ind.Name, Health: ind.Status.Health, Value: ind.Status.Value, Target: ind.Spec.Target, Cooldown: cooldown})
	}
	wins, next := celebrate.Decide(obj.Name, st.Celebrations, st.History, in, now)
	d.celebrationsBefore = st.Celebrations
	st.Celebrations = next
	delivered := ledger.Keys(ch.ledger)
	d.deliveries = planDeliveries(obj, ch.jobs, delivered, ch.deliveries, now, d)
	for _, w := range wins {
		if slices.Contains(delivered, w.Key) {
			continue // delivered before this initiative was re-created or restored
		}
		d.celebrations = append(d.celebrations, cronjobs.Job(cronjobs.Delivery{
			Name:  celebrationName(obj.Name, w.Key),
			Owner: *metav1.NewControllerRef(obj, initiativeKind), Namespace: obj.Namespace,
			Labels:      map[string]string{cronjobs.LabelInitiative: obj.Name, cronjobs.LabelCelebration: "true"},
			Annotations: map[string]string{cronjobs.AnnotationWin: w.Key, cronjobs.AnnotationAttempt: "1"},
			ChannelType: channel.Spec.Type, SecretName: channel.Spec.SecretRef.Name,
			Kind: "celebration", Item: w.Key, Initiative: obj.Namespace + "/" + obj.Name,
			Title: w.Title, Text: w.Text, Key: celebrationKey(obj, w.Key),
		}, opts))
		d.celebrated = append(d.celebrated, record.Event{Type: corev1.EventTypeNormal, Reason: v1alpha1.EventReasonCelebrated, Note: w.Title})
	}
	return ""
}

func intervalOf(src *v1alpha1.IndicatorSource) time.Duration {
	switch {
	case src.HTTP != nil && src.HTTP.Interval != nil:
		return src.HTTP.Interval.Duration
	case src.Prometheus != nil && src.Prometheus.Interval != nil:
		return src.Prometheus.Interval.Duration
	}
	d, _ := time.ParseDuration(v1alpha1.DefaultInterval)
	return d
}

// readyCondition is the initiative's Ready condition, most pressing problem
// first: the Stalled reason it implies, and whether it deserves a Warning.
func readyCondition(obj *v1alpha1.Initiative, out stages.Outcome, plan reminderPlan, pending bool) (metav1.Condition, string, bool) {
	switch {
	case len(plan.invalid) > 0:
		return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonTemplateInvalid, fmt.Sprintf(
			"%s: fix spec.reminders (the last good CronJob is kept until then)", strings.Join(plan.invalid, "; "))), v1alpha1.ReasonTemplateInvalid, true
	case len(out.MissingIndicators) > 0:
		return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonIndicatorNotFound, fmt.Sprintf(
			"LeadingIndicator %s not found in namespace %s: create it, or remove it from spec.stages[].exitCriteria.indicators",
			strings.Join(out.MissingIndicators, ", "), obj.Namespace)), "", true
	case len(plan.missingChannels) > 0:
		return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonChannelNotFound, fmt.Sprintf(
			"Channel %s named in spec.reminders or spec.celebrations not found in namespace %s: create it, or fix the name",
			strings.Join(plan.missingChannels, ", "), obj.Namespace)), "", true
	case len(plan.unreadyChannels) > 0:
		names := slices.Compact(slices.Sorted(slices.Values(plan.unreadyChannels)))
		if pending {
			return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonChannelPending, fmt.Sprintf(
				"Waiting for Channel %s to be checked before anything is scheduled to it", strings.Join(names, ", "))), "", false
		}
		return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonChannelNotReady, fmt.Sprintf(
			"Channel %s is not Ready, so nothing is scheduled to it: see `kubectl describe channel %s -n %s`",
			strings.Join(names, ", "), names[0], obj.Namespace)), "", true
	case suspended(obj):
		return conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonSuspended, fmt.Sprintf(
			"Suspended in stage %s (%s): set spec.suspend to false to resume progression", out.Stage, metCount(out.Gates))), "", false
	case out.Final:
		return conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonFinalStage, fmt.Sprintf("In final stage %s", out.Stage)), "", false
	}
	return conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonStageInProgress, fmt.Sprintf(
		"In stage %s, %s; waiting on: %s", out.Stage, metCount(out.Gates), unmet(out.Gates, 3))), "", false
}
