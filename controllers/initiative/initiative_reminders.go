package initiative

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/robfig/cron/v3"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/delivery"
	"github.com/momentum-dev/momentum/internal/due"
	"github.com/momentum-dev/momentum/internal/names"
	"github.com/momentum-dev/momentum/internal/quiethours"
	"github.com/momentum-dev/momentum/internal/render"
)

// inputs is what an initiative's decision reads besides the initiative and
// its indicators: the Channels it names, the CronJobs and Jobs it owns, its
// ledger and success objects, all from the cache.
type inputs struct {
	// channels named by reminders, by name; a missing name was not found.
	channels map[string]*v1alpha1.Channel
	// notReady names channels that exist but are not Ready: nothing is
	// scheduled to them, since their Secret may not be usable.
	notReady map[string]bool
	// pending is true when a channel has not been checked yet.
	pending bool
	// cronJobs controlled by the initiative, by name.
	cronJobs map[string]*batchv1.CronJob
	// taken says, by name, why a reminder's CronJob name is held by an
	// object the initiative does not control.
	taken map[string]string
	// jobs the initiative's CronJobs created, and its celebration Jobs.
	jobs []batchv1.Job
	// success holds the initiative's Commitments and CultureAssessments.
	success success
	// ledger records the wins delivered; nil before the first.
	ledger *corev1.ConfigMap
	// deliveries bounds the attempts of each win.
	deliveries delivery.Policy
}

// reminderPlan is what planReminders decides.
type reminderPlan struct {
	// apply holds the CronJobs to write: desired and different from what exists.
	apply []*batchv1.CronJob
	// keep names every CronJob that must stay; owned ones not in it are removed.
	keep map[string]bool
	// statuses of every reminder, in spec order.
	statuses []v1alpha1.ReminderStatus
	// missingChannels names Channels reminders reference but that do not exist.
	missingChannels []string
	// unreadyChannels names Channels that exist but are not Ready.
	unreadyChannels []string
	// invalid says which reminder cannot be rendered or scheduled and why.
	invalid []string
	// conflicts says which reminder's CronJob name is taken, and by what.
	conflicts []string
	// failing names reminders whose newest delivery failed.
	failing []string
	// nextAt is the earliest next schedule time of an active reminder.
	nextAt time.Time
}

// merge is the plan of both p and o (o's reminders after p's).
func (p reminderPlan) merge(o reminderPlan) reminderPlan {
	keep := make(map[string]bool, len(p.keep)+len(o.keep))
	maps.Copy(keep, p.keep)
	maps.Copy(keep, o.keep)
	return reminderPlan{
		apply:           append(slices.Clone(p.apply), o.apply...),
		keep:            keep,
		statuses:        append(slices.Clone(p.statuses), o.statuses...),
		missingChannels: sortedUnique(append(slices.Clone(p.missingChannels), o.missingChannels...)),
		unreadyChannels: sortedUnique(append(slices.Clone(p.unreadyChannels), o.unreadyChannels...)),
		invalid:         append(slices.Clone(p.invalid), o.invalid...),
		conflicts:       append(slices.Clone(p.conflicts), o.conflicts...),
		failing:         append(slices.Clone(p.failing), o.failing...),
		nextAt:          due.Earliest(p.nextAt, o.nextAt),
	}
}

// planReminders derives each reminder's desired CronJob and status. It must
// be given the initiative with its new status, since messages render the
// new stage and progress.
func planReminders(obj *v1alpha1.Initiative, ownInds []v1alpha1.LeadingIndicator, ch inputs, opts cronjobs.Options, now time.Time) reminderPlan {
	plan := reminderPlan{keep: map[string]bool{}}
	data := render.DataFor(obj, ownInds)
	for _, rem := range obj.Spec.Reminders {
		plan = plan.merge(planReminder(obj, rem, data, ch, opts, now))
	}
	return plan
}

// planReminder is the plan of one reminder. A reminder whose template or
// schedule is broken keeps its last good CronJob untouched, and so does one
// whose name is taken by an object the initiative does not control. A
// CronJob an earlier version created under an older name stands in for the
// reminder's until the new one is applied, then it is removed.
func planReminder(obj *v1alpha1.Initiative, rem v1alpha1.Reminder, data render.Data, ch inputs, opts cronjobs.Options, now time.Time) reminderPlan {
	name := reminderName(obj.Name, rem.Name)
	existing := currentOf(ch.cronJobs, rem.Name, name)
	plan, st := observed(rem.Name, name, existing, ch.jobs)
	st.Suspended = suspended(obj) || (len(rem.Stages) > 0 && !slices.Contains(rem.Stages, obj.Status.Stage))
	done := func() reminderPlan { plan.statuses = []v1alpha1.ReminderStatus{st}; return plan }

	sched, err := quiethours.ParseSchedule(rem.Schedule, rem.TimeZone)
	if err != nil {
		plan.invalid = []string{fmt.Sprintf("reminder %s: schedule %q: %v", rem.Name, rem.Schedule, err)}
		return done()
	}
	if !st.Suspended {
		st.NextScheduleTime, plan.nextAt = nextRun(sched, now)
	}
	text, err := render.Message(rem.Message, data)
	if err != nil {
		plan.invalid = []string{fmt.Sprintf("reminder %s: %v", rem.Name, err)}
		return done()
	}
	channel, ok := ch.channels[rem.Channel]
	why, taken := ch.taken[name]
	switch {
	case !ok:
		plan.missingChannels = []string{rem.Channel}
		return done()
	case ch.notReady[rem.Channel]:
		plan.unreadyChannels = []string{rem.Channel}
		plan.apply = pausedOf(existing)
		st.Suspended, st.NextScheduleTime = true, nil
		return done()
	case taken:
		plan.conflicts = []string{fmt.Sprintf("reminder %s: %s", rem.Name, why)}
		st.CronJobName = ""
		return done()
	}
	desired := cronjobs.CronJob(cronjobs.Delivery{
		Name: name, Namespace: obj.Namespace, Owner: *metav1.NewControllerRef(obj, initiativeKind),
		Labels:   map[string]string{cronjobs.LabelInitiative: obj.Name, cronjobs.LabelReminder: rem.Name},
		Schedule: string(rem.Schedule), TimeZone: string(rem.TimeZone), Suspend: st.Suspended,
		ChannelType: channel.Spec.Type, SecretName: channel.Spec.SecretRef.Name,
		Kind: "reminder", Item: rem.Name, Initiative: obj.Namespace + "/" + obj.Name,
		Title: "Reminder: " + rem.Name, Text: text,
	}, opts)
	plan.keep = map[string]bool{name: true} // a stand-in under an older name is replaced
	if !cronjobs.Unchanged(ch.cronJobs[name], desired) {
		plan.apply = []*batchv1.CronJob{desired}
	}
	return done()
}

// observed is what the existing CronJob and its Jobs say about a reminder
// (or the review digest): its last runs, whether its newest delivery
// failed, and that its CronJob stays for now.
func observed(reminder, name string, existing *batchv1.CronJob, jobs []batchv1.Job) (reminderPlan, v1alpha1.ReminderStatus) {
	plan := reminderPlan{keep: map[string]bool{}}
	st := v1alpha1.ReminderStatus{Name: reminder, CronJobName: name}
	if existing != nil {
		st.LastScheduleTime = existing.Status.LastScheduleTime
		plan.keep[existing.Name] = true
	}
	st.LastSuccessfulTime, st.LastFailureTime = deliveries(jobs, reminder)
	if delivery.Failing(st) {
		plan.failing = []string{reminder}
	}
	return plan, st
}

// nextRun is a schedule's next time after now, as status and as a time.
func nextRun(sched cron.Schedule, now time.Time) (*metav1.Time, time.Time) {
	next := sched.Next(now)
	return ptr.To(metav1.NewTime(next)), next
}

// pausedOf is the CronJob to apply that pauses an existing one, if any.
func pausedOf(existing *batchv1.CronJob) []*batchv1.CronJob {
	if paused := cronjobs.Paused(existing); paused != nil {
		return []*batchv1.CronJob{paused}
	}
	return nil
}

// initiativeKind is the kind of the owner of reminder CronJobs and celebration Jobs.
var initiativeKind = v1alpha1.GroupVersion.WithKind("Initiative")

// reminderName is the name of a reminder's CronJob.
func reminderName(initiative, reminder string) string {
	return names.CronJob(names.Child{OwnerKind: initiativeKind.Kind, OwnerName: initiative, Role: names.RoleReminder, Key: reminder})
}

// celebrationAttemptName is the name of attempt n (from 2) of a win's Job.
func celebrationAttemptName(initiative, win string, n int) string {
	return celebrationName(initiative, win+"#"+strconv.Itoa(n))
}

// celebrationName is the name of the Job that posts a quick win.
func celebrationName(initiative, win string) string {
	return names.Job(names.Child{OwnerKind: initiativeKind.Kind, OwnerName: initiative, Role: names.RoleCelebration, Key: win})
}

// currentOf finds the CronJob that delivers a reminder now, among those the
// initiative controls: the one under today's name or, standing in for it,
// one an earlier version created under another name and labelled with the
// reminder.
func currentOf(owned map[string]*batchv1.CronJob, reminder, name string) *batchv1.CronJob {
	found := owned[name]
	if found != nil {
		return found
	}
	for n, cj := range owned {
		if n != name && cj.Labels[cronjobs.LabelReminder] == reminder && (found == nil || n < found.Name) {
			found = cj
		}
	}
	return found
}

// deliveries reads the newest successful and failed delivery of a reminder
// from the Jobs its CronJob created.
func deliveries(jobs []batchv1.Job, reminder string) (success, failure *metav1.Time) {
	for i := range jobs {
		j := &jobs[i]
		if j.Labels[cronjobs.LabelReminder] != reminder {
			continue
		}
		for _, c := range j.Status.Conditions {
			if c.Status != corev1.ConditionTrue {
				continue
			}
			at := c.LastTransitionTime
			switch c.Type {
			case batchv1.JobComplete:
				if success == nil || success.Before(&at) {
					success = ptr.To(at)
				}
			case batchv1.JobFailed:
				if failure == nil || failure.Before(&at) {
					failure = ptr.To(at)
				}
			}
		}
	}
	return success, failure
}

// deliveryCondition summarises the reminders' newest deliveries and the
// celebrations given up.
func deliveryCondition(failing, celebrations []string) (metav1.ConditionStatus, string, string) {
	if len(celebrations) > 0 {
		msg := fmt.Sprintf("Delivering celebration %s was given up (see status.celebrations.failed and the Warning Events): check the Channel's status and `kubectl logs` of its Jobs",
			strings.Join(celebrations, ", "))
		if len(failing) > 0 {
			msg += fmt.Sprintf("; the newest delivery of reminder %s failed", strings.Join(failing, ", "))
		}
		return metav1.ConditionTrue, v1alpha1.ReasonCelebrationFailed, msg
	}
	if len(failing) == 0 {
		return metav1.ConditionFalse, v1alpha1.ReasonDeliveriesSucceeding, "No reminder's newest delivery failed"
	}
	return metav1.ConditionTrue, v1alpha1.ReasonDeliveryFailed, fmt.Sprintf(
		"The newest delivery of reminder %s failed: see `kubectl logs job/<name>` of its CronJob, and the Channel's status", strings.Join(failing, ", "))
}
