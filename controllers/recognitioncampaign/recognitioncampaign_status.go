package recognitioncampaign

import (
	"fmt"
	"slices"
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
	"github.com/momentum-dev/momentum/internal/delivery"
	"github.com/momentum-dev/momentum/internal/ledger"
	"github.com/momentum-dev/momentum/internal/quiethours"
	"github.com/momentum-dev/momentum/internal/record"
	"github.com/momentum-dev/momentum/internal/spotlight"
)

// inputs is what a campaign depends on, read from the cache.
type inputs struct {
	// initiative and channel the spec names; nil when not found.
	initiative *v1alpha1.Initiative
	channel    *v1alpha1.Channel
	// cronJobs are spotlight CronJobs an earlier version created: removed.
	cronJobs []*batchv1.CronJob
	// jobs are the Jobs labelled with the campaign.
	jobs []batchv1.Job
	// ledger records what the campaign published; nil before the first.
	ledger *corev1.ConfigMap
	// policy bounds the attempts of each digest; jobOpts configures pods.
	policy  delivery.Policy
	jobOpts cronjobs.Options
}

// decision is everything decide works out for one reconcile.
type decision struct {
	// status is the campaign's status to write, but the Ready/Reconciling/
	// Stalled contract, which conditions.Write applies.
	status  v1alpha1.RecognitionCampaignStatus
	ready   metav1.Condition
	stalled string
	// events go out with the status write; delivered once the ledger
	// records the outcomes they tell of.
	events, delivered []record.Event
	// create are the digest Jobs to create: a new spotlight, retries.
	create []*batchv1.Job
	// record are the keys to add to the ledger.
	record []string
	// published names the nominations newly marked spotlighted.
	published []string
	// nextAt is when to look again; zero while nothing is due.
	nextAt time.Time
	// at is when it was decided: what ages the ledger's keys.
	at time.Time
}

// nameConflictRecheck is how often a taken name is looked at again: the
// object holding it is not Momentum's, so no event says when it is gone.
const nameConflictRecheck = time.Minute

// decide works out the campaign's status and children from its inputs. A
// ledger it cannot read stops everything: nothing is delivered or recorded.
// It reads no API and no clock.
func decide(obj *v1alpha1.RecognitionCampaign, in inputs, now time.Time) decision {
	keys, err := ledger.Keys(in.ledger)
	if err != nil {
		d := decision{status: *obj.Status.DeepCopy(), stalled: v1alpha1.ReasonLedgerInvalid}
		d.ready = conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonLedgerInvalid, err.Error())
		d.events = conditions.Warning(meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady), d.ready)
		return d
	}
	return decideFrom(obj, in, slices.Concat(initialLedger(in.ledger, obj.Status), keys), now)
}

// decideFrom is decide with the ledger's keys read, as a chain of small
// steps.
func decideFrom(obj *v1alpha1.RecognitionCampaign, in inputs, keys []string, now time.Time) decision {
	d := decision{status: *obj.Status.DeepCopy(), at: now}
	d.status.CronJobName = ""
	plan := planAttempts(obj, in.jobs, keys, in.policy, now)
	unknown := unknownOutcomes(obj, keys)
	d.record = slices.Concat(initialLedger(in.ledger, obj.Status), plan.record, withPrefix(keyHeld, unknown))
	d.delivered, d.nextAt = append(plan.events, outcomeUnknown(obj, unknown)...), plan.retryAt
	// Deliveries are facts: record them even when the campaign cannot go on.
	d.status, d.published = recordOutcomes(obj, keys, in.jobs, plan)
	status, reason, msg := deliveryFailing(d.status)
	conditions.Set(&d.status.Conditions, v1alpha1.ConditionDeliveryFailing, status, reason, msg, obj.Generation, now)

	if d.status.LastScheduleTime == nil {
		d.status.LastScheduleTime = ptr.To(metav1.NewTime(now)) // nothing is due from before it was seen
	}

	prevReady := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady)
	var t spotlight.Tally
	if in.initiative != nil {
		held := slices.Concat(ledgerOf(keys, keyHeld), ledgerOf(plan.record, keyHeld), plan.claimed, unknown)
		t = tally(obj, in.initiative, d.status.SpotlightedNominations, held)
		d.status = withTally(d.status, t)
		d.events = append(d.events, rejections(obj.Status.Rejected, t.Rejected)...)
	}
	sched, schedErr := quiethours.ParseSchedule(obj.Spec.Schedule, obj.Spec.TimeZone)
	if ready, stalled, blocked := blocker(obj, in, schedErr); blocked {
		d.ready, d.stalled = ready, stalled
		if ready.Reason != v1alpha1.ReasonChannelPending {
			d.events = append(d.events, conditions.Warning(prevReady, ready)...)
		}
		if in.initiative != nil && schedErr != nil {
			d.status.NextPublicationTime = nil
		}
		return d
	}

	d.create = retryJobs(obj, in, plan.retries) // none while blocked: retried once it can be delivered
	suspended := ptr.Deref(in.initiative.Spec.Suspend, false)
	next := nextTick(sched, now)
	d.status.NextPublicationTime = nil
	if !suspended {
		d.status.NextPublicationTime = ptr.To(metav1.NewTime(next))
		d.nextAt = earliest(d.nextAt, next)
	}
	q := quietHours(in.initiative, sched, now)
	if !suspended {
		job, handled := planSpotlight(obj, in, sched, t.Pending, q.holdUntil, now)
		d.create = append(d.create, job...)
		if handled != nil {
			d.status.LastScheduleTime = handled
		}
		d.nextAt = earliest(d.nextAt, q.holdUntil)
	}
	d.ready = readyCondition(in.initiative, t, next, suspended)
	if q.conflict != "" && d.ready.Status == metav1.ConditionTrue {
		d.ready = conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonQuietHoursConflict, q.conflict)
		d.events = append(d.events, conditions.Warning(prevReady, d.ready)...)
	}
	return d
}

// recordOutcomes is the status with what the digests delivered and gave
// up: the nominations published (from the ledger, the digests delivered
// now, and Jobs of the earlier spotlight CronJob), and when the newest was
// published or given up. It returns the nominations newly published too.
func recordOutcomes(obj *v1alpha1.RecognitionCampaign, keys []string, jobs []batchv1.Job, plan attemptPlan) (v1alpha1.RecognitionCampaignStatus, []string) {
	st := *obj.Status.DeepCopy()
	var legacy []batchv1.Job
	for _, j := range jobs {
		if j.Annotations[cronjobs.AnnotationDigest] == "" && metav1.IsControlledBy(&j, obj) {
			legacy = append(legacy, j)
		}
	}
	fromCronJob, last := spotlight.Delivered(legacy)
	all := slices.Concat(ledgerOf(keys, keyNomination), fromCronJob, plan.published)
	st.SpotlightedNominations = spotlight.MarkPublished(st.SpotlightedNominations, all, obj.Spec.Nominations)
	var published []string
	for _, n := range st.SpotlightedNominations {
		if !slices.Contains(obj.Status.SpotlightedNominations, n) {
			published = append(published, n)
		}
	}
	if last != nil {
		st.LastPublicationTime = later(st.LastPublicationTime, last.Time)
	}
	st.LastPublicationTime = later(st.LastPublicationTime, plan.lastSuccess)
	st.LastFailureTime = later(st.LastFailureTime, plan.lastFailure)
	return st, published
}

// tally judges the nominations; pending are those neither published nor
// held (under way in a digest, or in one given up).
func tally(obj *v1alpha1.RecognitionCampaign, it *v1alpha1.Initiative, published, held []string) spotlight.Tally {
	t := spotlight.Evaluate(obj.Spec, it.Name, it.Spec, published)
	isHeld := make(map[string]bool, len(held))
	for _, n := range held {
		isHeld[n] = true
	}
	t.Pending = slices.DeleteFunc(t.Pending, func(n v1alpha1.Nomination) bool { return isHeld[n.Name] })
	return t
}

// later is the later of a status time and t; a zero t changes nothing.
func later(at *metav1.Time, t time.Time) *metav1.Time {
	if t.IsZero() || (at != nil && !at.Time.Before(t)) {
		return at
	}
	return ptr.To(metav1.NewTime(t))
}

// withTally is the status with the nominations' counts. Pointers, so that
// a count of zero is written too (a merge patch drops zero values equal to
// the empty status).
func withTally(st v1alpha1.RecognitionCampaignStatus, t spotlight.Tally) v1alpha1.RecognitionCampaignStatus {
	st.Nominations, st.Spotlighted, st.Pending = ptr.To(t.Qualifying), ptr.To(t.Spotlighted), ptr.To(int32(len(t.Pending)))
	st.ByBehavior, st.LeadershipShare, st.PeerShare, st.Rejected = t.ByBehavior, t.LeadershipShare, t.PeerShare, t.Rejected
	return st
}

// rejections are the Warnings for nominations newly found not to qualify.
func rejections(before, after []v1alpha1.RejectedNomination) []record.Event {
	rejected := spotlight.NewlyRejected(before, after)
	out := make([]record.Event, 0, len(rejected))
	for _, r := range rejected {
		out = append(out, record.Event{Type: corev1.EventTypeWarning, Reason: v1alpha1.EventReasonNominationRejected,
			Note: fmt.Sprintf("Nomination %s does not qualify: %s", r.Name, r.Reason)})
	}
	return out
}

// planSpotlight is the digest Job due now, if any, and the scheduled time
// it handles: nil while none is due or it is held for quiet hours. A due
// time with nothing new to post is handled by posting nothing.
func planSpotlight(obj *v1alpha1.RecognitionCampaign, in inputs, sched cron.Schedule, pending []v1alpha1.Nomination, holdUntil, now time.Time) ([]*batchv1.Job, *metav1.Time) {
	due := dueTick(sched, handledSince(obj, now), now)
	if due.IsZero() || !holdUntil.IsZero() {
		return nil, nil
	}
	handled := ptr.To(metav1.NewTime(due))
	if len(pending) == 0 {
		return nil, handled
	}
	return []*batchv1.Job{digestJob(obj, in, tickKey(due), spotlight.Batch(pending))}, handled
}
