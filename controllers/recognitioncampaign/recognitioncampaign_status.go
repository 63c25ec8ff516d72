package recognitioncampaign

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/names"
	"github.com/momentum-dev/momentum/internal/quiethours"
	"github.com/momentum-dev/momentum/internal/record"
	"github.com/momentum-dev/momentum/internal/refs"
	"github.com/momentum-dev/momentum/internal/spotlight"
	"github.com/momentum-dev/momentum/internal/text"
)

// inputs is what a campaign depends on, read from the cache.
type inputs struct {
	// initiative and channel the spec names; nil when not found.
	initiative *v1alpha1.Initiative
	channel    *v1alpha1.Channel
	// cronJob is the owned spotlight CronJob; nil before the first apply.
	cronJob *batchv1.CronJob
	// stale are CronJobs the campaign controls under another name, to
	// remove (an earlier version named the spotlight differently).
	stale []*batchv1.CronJob
	// taken says why the spotlight's name is held by an object the campaign
	// does not control; empty when it is free or the campaign's own.
	taken string
	// jobs the spotlight CronJob created.
	jobs []batchv1.Job
}

// decision is everything decide works out for one reconcile.
type decision struct {
	ready   metav1.Condition
	stalled string
	events  []record.Event
	// apply is the CronJob to write; nil when the existing one is current
	// or the last good one must be kept.
	apply *batchv1.CronJob
	// published names the nominations newly marked spotlighted.
	published []string
	// nextAt is when the next spotlight is due; zero while none is.
	nextAt time.Time
	// keep names a stale CronJob that stands in for the spotlight (one an
	// earlier version created) until the spotlight is applied under its
	// own name.
	keep string
}

// campaignKind is the kind of the owner of spotlight CronJobs.
var campaignKind = v1alpha1.GroupVersion.WithKind("RecognitionCampaign")

// nameConflictRecheck is how often a taken name is looked at again: the
// object holding it is not Momentum's, so no event says when it is gone.
const nameConflictRecheck = time.Minute

func spotlightName(obj *v1alpha1.RecognitionCampaign) string {
	return names.CronJob(names.Child{OwnerKind: campaignKind.Kind, OwnerName: obj.Name, Role: names.RoleSpotlight})
}

// current is the CronJob that publishes the campaign's spotlights now: its
// own, or one an earlier version created under another name.
func current(in inputs) *batchv1.CronJob {
	if in.cronJob != nil || len(in.stale) == 0 {
		return in.cronJob
	}
	return in.stale[0]
}

// decide writes the status fields the campaign owns (everything but the
// Ready/Reconciling/Stalled contract, which conditions.Finish applies) and
// returns the decision. It reads no API and no clock: all inputs are given.
func decide(obj *v1alpha1.RecognitionCampaign, in inputs, opts cronjobs.Options, now time.Time) decision {
	st := &obj.Status
	var d decision
	prevReady := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionReady)
	prior := current(in)
	if prior != nil && prior != in.cronJob {
		d.keep = prior.Name
	}

	// Deliveries are facts: record them even when the campaign cannot go on.
	published, last := spotlight.Delivered(in.jobs)
	marked := spotlight.MarkPublished(st.SpotlightedNominations, published, obj.Spec.Nominations)
	d.published = marked[min(len(st.SpotlightedNominations), len(marked)):]
	st.SpotlightedNominations = marked
	if last != nil && (st.LastPublicationTime == nil || st.LastPublicationTime.Before(last)) {
		st.LastPublicationTime = last
	}
	if len(d.published) > 0 {
		d.events = append(d.events, record.Event{Type: corev1.EventTypeNormal, Reason: v1alpha1.EventReasonSpotlighted,
			Note: fmt.Sprintf("Spotlight published %s", strings.Join(d.published, ", "))})
	}
	st.CronJobName = spotlightName(obj)

	if in.initiative == nil {
		d.ready = refs.InitiativeNotFound(obj.Namespace, obj.Spec.InitiativeRef.Name, "the spotlight CronJob is suspended until then")
		d.events = append(d.events, conditions.Warning(prevReady, d.ready)...)
		d.apply = cronjobs.Paused(prior) // its digest may be already published: it must not run again
		return d
	}

	t := spotlight.Evaluate(obj.Spec, in.initiative.Name, in.initiative.Spec, st.SpotlightedNominations)
	for _, r := range spotlight.NewlyRejected(st.Rejected, t.Rejected) {
		d.events = append(d.events, record.Event{Type: corev1.EventTypeWarning, Reason: v1alpha1.EventReasonNominationRejected,
			Note: fmt.Sprintf("Nomination %s does not qualify: %s", r.Name, r.Reason)})
	}
	// Pointers, so that a count of zero is written too (a merge patch drops
	// zero values equal to the empty status).
	st.Nominations, st.Spotlighted, st.Pending = ptr.To(t.Qualifying), ptr.To(t.Spotlighted), ptr.To(int32(len(t.Pending)))
	st.ByBehavior, st.LeadershipShare, st.PeerShare, st.Rejected = t.ByBehavior, t.LeadershipShare, t.PeerShare, t.Rejected
	suspended := ptr.Deref(in.initiative.Spec.Suspend, false)

	sched, err := quiethours.ParseSchedule(obj.Spec.Schedule, obj.Spec.TimeZone)
	if err != nil {
		st.NextPublicationTime = nil
		d.ready = conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonScheduleInvalid, fmt.Sprintf(
			"spec.schedule %q with time zone %q: %v: fix spec.schedule or spec.timeZone (the spotlight CronJob is suspended until then)",
			obj.Spec.Schedule, obj.Spec.TimeZone, err))
		d.stalled = v1alpha1.ReasonScheduleInvalid
		d.events = append(d.events, conditions.Warning(prevReady, d.ready)...)
		d.apply = cronjobs.Paused(prior) // its digest may be already published: it must not run again
		return d
	}
	st.NextPublicationTime = nil
	if !suspended {
		d.nextAt = sched.Next(now)
		if spec, ok := sched.(*cron.SpecSchedule); ok {
			d.nextAt = d.nextAt.In(spec.Location) // messages show the schedule's own wall clock
		}
		st.NextPublicationTime = ptr.To(metav1.NewTime(d.nextAt))
	}

	if in.channel == nil {
		d.ready = conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonChannelNotFound, fmt.Sprintf(
			"Channel %s named in spec.channel not found in namespace %s: create it or fix spec.channel",
			obj.Spec.Channel, obj.Namespace))
		d.events = append(d.events, conditions.Warning(prevReady, d.ready)...)
		d.apply = cronjobs.Paused(prior) // its digest may be already published: it must not run again
		return d
	}
	if readiness := conditions.ChannelReadiness(in.channel); readiness != conditions.IsReady {
		if readiness == conditions.Pending {
			// A Channel not yet checked is no fault: wait quietly.
			d.ready = conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonChannelPending, fmt.Sprintf(
				"Waiting for Channel %s to be checked before a spotlight is scheduled to it", obj.Spec.Channel))
		} else {
			d.ready = conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonChannelNotReady, fmt.Sprintf(
				"Channel %s is not Ready, so no spotlight is scheduled to it (the spotlight CronJob is suspended until then): see `kubectl describe channel %s -n %s`",
				obj.Spec.Channel, obj.Spec.Channel, obj.Namespace))
			d.events = append(d.events, conditions.Warning(prevReady, d.ready)...)
		}
		d.apply = cronjobs.Paused(prior)
		return d
	}

	if in.taken != "" {
		d.ready = conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonNameConflict, fmt.Sprintf(
			"The spotlight's %s: Momentum never changes or deletes an object it does not control; delete or rename that object, or rename the campaign (checked again every minute)", in.taken))
		d.events = append(d.events, conditions.Warning(prevReady, d.ready)...)
		d.nextAt = now.Add(nameConflictRecheck)
		st.CronJobName = ""
		return d
	}
	batch := spotlight.Batch(t.Pending)
	d.keep = "" // the spotlight under its own name replaces any stand-in
	desired := cronjobs.CronJob(cronjobs.Delivery{
		Name: spotlightName(obj), Namespace: obj.Namespace, Owner: *metav1.NewControllerRef(obj, campaignKind),
		Labels:      map[string]string{cronjobs.LabelCampaign: obj.Name, cronjobs.LabelInitiative: in.initiative.Name},
		Annotations: map[string]string{cronjobs.AnnotationNominations: strings.Join(spotlight.Names(batch), ",")},
		Schedule:    string(obj.Spec.Schedule), TimeZone: string(obj.Spec.TimeZone), Suspend: suspended,
		ChannelType: in.channel.Spec.Type, SecretName: in.channel.Spec.SecretRef.Name,
		Kind: "spotlight", Item: obj.Name, Initiative: obj.Namespace + "/" + in.initiative.Name,
		Title: "Spotlight: " + obj.Name, Text: spotlight.Digest(batch, obj.Spec.Behaviors),
		Key: digestKey(obj, batch),
	}, opts)
	if !cronjobs.Unchanged(in.cronJob, desired) {
		d.apply = desired
	}

	pending := text.Plural(len(t.Pending), "nomination") + " pending"
	if len(t.Rejected) > 0 {
		pending += fmt.Sprintf(", %s rejected (see status.rejected)", text.Plural(len(t.Rejected), "nomination"))
	}
	if suspended {
		d.ready = conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonSuspended, fmt.Sprintf(
			"Initiative %s is suspended, so spotlights are paused: set its spec.suspend to false to resume; %s", in.initiative.Name, pending))
		return d
	}
	d.ready = conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonScheduled, fmt.Sprintf(
		"Next spotlight at %s: %s", d.nextAt.Format(time.RFC3339), pending))
	return d
}

// digestKey is the idempotency key of a digest: the same for every run that
// posts the same nominations, so a webhook receiver drops a re-posted
// digest (Slack and Teams cannot; see the README's Guarantees).
func digestKey(obj *v1alpha1.RecognitionCampaign, batch []v1alpha1.Nomination) string {
	sum := sha256.Sum256([]byte(strings.Join(spotlight.Names(batch), "\n")))
	return "spotlight/" + obj.Namespace + "/" + obj.Name + "/" + hex.EncodeToString(sum[:8])
}
