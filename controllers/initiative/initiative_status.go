package initiative

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/due"
	"github.com/momentum-dev/momentum/internal/health"
	"github.com/momentum-dev/momentum/internal/momentum"
	"github.com/momentum-dev/momentum/internal/record"
	"github.com/momentum-dev/momentum/internal/stages"
)

// decision is everything decide works out for one reconcile.
type decision struct {
	// status is the initiative's new status, except for two things: the
	// Ready/Reconciling/Stalled contract (conditions.Finish applies it) and
	// what status says about the children (recorded).
	status v1alpha1.InitiativeStatus
	// recorded is what status says about the children; it goes into status
	// only once the children it stands for exist (or are gone).
	recorded  recorded
	ready     metav1.Condition
	stalled   string
	events    []record.Event
	entered   *stages.Transition
	recheckAt time.Time
	reminders reminderPlan
	// wins are the quick wins to post and the deliveries under way.
	wins celebrationPlan
	// celebrated are the wins' Events, emitted only once their Jobs exist.
	celebrated []record.Event
}

// recorded is what status says about the initiative's children. A reminder
// removed from status, or a win recorded as posted, must be true: so these
// fields are written only after the apply that makes them true succeeded.
type recorded struct {
	reminders      []v1alpha1.ReminderStatus
	reviewReminder *v1alpha1.ReminderStatus
	celebrations   *v1alpha1.CelebrationStatus
}

// recordedOf is what status says about the children now.
func recordedOf(st v1alpha1.InitiativeStatus) recorded {
	return recorded{reminders: st.Reminders, reviewReminder: st.ReviewReminder, celebrations: st.Celebrations}
}

// into writes the recorded fields into a status.
func (rc recorded) into(st *v1alpha1.InitiativeStatus) {
	st.Reminders, st.ReviewReminder, st.Celebrations = rc.reminders, rc.reviewReminder, rc.celebrations
}

// decide works out the initiative's new status and the children it asks
// for, as a chain of small steps: the stage, the momentum risk, the
// children's plans, the Success Index, the delivery condition, the next
// recheck and Ready. It reads no API and no clock, and changes nothing it is
// given: all inputs are given, the new status is returned.
func decide(obj *v1alpha1.Initiative, gateInds map[string]*v1alpha1.LeadingIndicator, ownInds []v1alpha1.LeadingIndicator, ch inputs, opts cronjobs.Options, now time.Time) decision {
	out := stages.Decide(stageInput(obj, gateInds, now))
	prevReady := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady)
	if out.StageMissing {
		return stageMissing(obj, prevReady)
	}
	d := decision{status: stageStatus(obj, out, ownInds, now), entered: out.Entered, events: advanceEvents(out)}
	// What follows reads the new stage, history and progress.
	staged := withStatus(obj, d.status)
	risk := momentumRisk(staged, out, ownInds, now)
	setMomentumAtRisk(&d.status.Conditions, risk, obj.Generation, now)

	plans := planChildren(staged, ownInds, ch, opts, now)
	d.reminders, d.wins, d.recorded = plans.reminders, plans.wins, plans.recorded
	d.celebrated = plans.wins.celebrated
	d.events = append(d.events, plans.wins.gaveUp...)

	var successAt time.Time
	d.status.Commitments, d.status.Funnel, successAt = successStatus(staged, ch.success, d.status.Funnel, now)
	setDeliveryFailing(&d.status.Conditions, staged, d.reminders.failing, d.wins.deliveries.failing, now)
	d.recheckAt = recheckAt(staged, out, now, risk.RecheckAt, plans.recheckAt, successAt)

	ready, stalled, warn := readyCondition(staged, out, channelFaults(d.reminders, d.wins), ch.pending)
	ready, quiet := quietHoursReady(staged, ready, now)
	d.ready, d.stalled = ready, stalled
	if warn || quiet {
		d.events = append(d.events, conditions.Warning(prevReady, d.ready)...)
	}
	return d
}

// stageInput is what the stage machine needs: the spec, the status, the
// gate indicators and the freeze in force.
func stageInput(obj *v1alpha1.Initiative, gateInds map[string]*v1alpha1.LeadingIndicator, now time.Time) stages.Input {
	in := stages.Input{Spec: obj.Spec, Status: obj.Status, Indicators: map[string]stages.Indicator{}, Now: now, Freeze: freezeOf(obj, now)}
	for name, ind := range gateInds {
		in.Indicators[name] = stages.Indicator{Health: ind.Status.Health, Freshness: ind.Status.Freshness, Value: ind.Status.Value, Target: ind.Spec.Target, History: ind.Status.History,
			HistoryLimit: health.HistoryLimit(ind.Spec)}
	}
	return in
}

// stageMissing is the decision for an initiative whose current stage the
// spec no longer declares: status is kept as it is and Ready says how to
// resume.
func stageMissing(obj *v1alpha1.Initiative, prevReady *metav1.Condition) decision {
	st := obj.Status.DeepCopy()
	msg := fmt.Sprintf("Initiative %s/%s is in stage %s, which spec.stages no longer declares: add stage %s back to spec.stages to resume (history is kept)",
		obj.Namespace, obj.Name, st.Stage, st.Stage)
	d := decision{status: *st, recorded: recordedOf(*st), stalled: v1alpha1.ReasonStageNotFound}
	d.ready = conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonStageNotFound, msg)
	d.events = conditions.Warning(prevReady, d.ready)
	return d
}

// stageStatus is the status after the stage decision: stage, history,
// gates, plan, progress and the indicator roll-ups.
func stageStatus(obj *v1alpha1.Initiative, out stages.Outcome, ownInds []v1alpha1.LeadingIndicator, now time.Time) v1alpha1.InitiativeStatus {
	st := obj.Status.DeepCopy()
	st.LastProgressTime = lastProgress(&obj.Status, out, ownInds, now)
	st.Stage, st.History, st.Gates, st.Stages = out.Stage, out.History, out.Gates, out.Plan
	st.HistoryTrimmed += out.HistoryTrimmed
	st.Funnel = momentum.Funnel(ownInds)
	st.StageEnteredAt = ptr.To(out.EnteredAt)
	st.Progress = ptr.To(out.Progress)
	st.Indicators = summarize(ownInds)
	return *st
}

// withStatus is the initiative as it stands with the new status, for the
// steps that read it (reminder messages render the new stage and progress).
func withStatus(obj *v1alpha1.Initiative, st v1alpha1.InitiativeStatus) *v1alpha1.Initiative {
	staged := *obj
	staged.Status = st
	return &staged
}

// advanceEvents marks each stage advance with an Event; starting is
// recorded in status.history only.
func advanceEvents(out stages.Outcome) []record.Event {
	if out.Entered == nil || out.Entered.From == "" {
		return nil
	}
	return []record.Event{{Type: corev1.EventTypeNormal, Reason: v1alpha1.EventReasonStageAdvanced,
		Note: fmt.Sprintf("Advanced from %s to %s: %s", out.Entered.From, out.Entered.To, out.Entered.Reason)}}
}

// momentumRisk assesses whether the program is losing momentum.
func momentumRisk(obj *v1alpha1.Initiative, out stages.Outcome, ownInds []v1alpha1.LeadingIndicator, now time.Time) momentum.Risk {
	return momentum.Assess(momentum.Input{
		Indicators:     riskInputs(ownInds),
		Stage:          out.Stage,
		EnteredAt:      out.EnteredAt.Time,
		TargetDuration: targetDuration(obj.Spec, out.Stage),
		Final:          out.Final,
		LastProgress:   obj.Status.LastProgressTime.Time,
		Window:         momentumWindow(obj.Spec),
		Now:            now,
	})
}

// setMomentumAtRisk records the risk as the MomentumAtRisk condition.
func setMomentumAtRisk(conds *[]metav1.Condition, risk momentum.Risk, generation int64, now time.Time) {
	status := metav1.ConditionFalse
	if risk.AtRisk {
		status = metav1.ConditionTrue
	}
	conditions.Set(conds, v1alpha1.ConditionMomentumAtRisk, status, risk.Reason, risk.Message, generation, now)
}

// setDeliveryFailing records the DeliveryFailing condition while anything
// is delivered, and removes it when nothing is.
func setDeliveryFailing(conds *[]metav1.Condition, obj *v1alpha1.Initiative, failing, celebrations []string, now time.Time) {
	if len(obj.Spec.Reminders) == 0 && obj.Spec.ReviewReminder == nil && obj.Spec.Celebrations == nil {
		meta.RemoveStatusCondition(conds, v1alpha1.ConditionDeliveryFailing)
		return
	}
	status, reason, msg := deliveryCondition(failing, celebrations)
	conditions.Set(conds, v1alpha1.ConditionDeliveryFailing, status, reason, msg, obj.Generation, now)
}

// recheckAt is the earliest time-based event: a gate, the momentum risk,
// a schedule, a holiday's end or a retry. A stage just entered whose next
// stage's gates are met too is taken in its own step, at once.
func recheckAt(obj *v1alpha1.Initiative, out stages.Outcome, now time.Time, at ...time.Time) time.Time {
	if out.Entered != nil && out.Ready && !out.Final && !suspended(obj) {
		return now
	}
	next := out.RecheckAt
	for _, t := range at {
		next = due.Earliest(next, t)
	}
	return next
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
