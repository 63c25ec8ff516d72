package initiative

import (
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/due"
	"github.com/momentum-dev/momentum/internal/quiethours"
)

// planReviewDigest adds the review digest's CronJob to the reminder plan:
// the same restricted Job and notify path as reminders, with a digest of
// the commitments whose review is due, suspended while none is. It returns
// the digest's status and when the digest next changes by time alone.
func planReviewDigest(obj *v1alpha1.Initiative, ch inputs, opts cronjobs.Options, now time.Time, plan *reminderPlan) (*v1alpha1.ReminderStatus, time.Time) {
	rr := obj.Spec.ReviewReminder
	if rr == nil {
		return nil, time.Time{}
	}
	name := reminderName(obj.Name, digestName)
	st := &v1alpha1.ReminderStatus{Name: digestName, CronJobName: name}
	existing := ch.cronJobs[name]
	if existing != nil {
		st.LastScheduleTime = existing.Status.LastScheduleTime
		plan.keep[name] = true
	}
	st.LastSuccessfulTime, st.LastFailureTime = deliveries(ch.jobs, digestName)
	if st.LastFailureTime != nil && (st.LastSuccessfulTime == nil || st.LastSuccessfulTime.Before(st.LastFailureTime)) {
		plan.failing = append(plan.failing, digestName)
	}
	lines, opensAt := reviewsDue(ch.success.owners, now)
	st.Suspended = ptr.Deref(obj.Spec.Suspend, false) || len(lines) == 0
	sched, err := quiethours.ParseSchedule(rr.Schedule, rr.TimeZone)
	if err != nil {
		plan.invalid = append(plan.invalid, fmt.Sprintf("spec.reviewReminder: schedule %q: %v", rr.Schedule, err))
		return st, opensAt
	}
	channel, ok := ch.channels[rr.Channel]
	why, taken := ch.taken[name]
	switch {
	case taken:
		plan.conflicts = append(plan.conflicts, "spec.reviewReminder: "+why)
		st.CronJobName = ""
		return st, opensAt
	case !ok:
		plan.missingChannels = append(plan.missingChannels, rr.Channel)
		return st, opensAt
	case ch.notReady[rr.Channel]:
		plan.unreadyChannels = append(plan.unreadyChannels, rr.Channel)
		if paused := cronjobs.Paused(existing); paused != nil {
			plan.apply = append(plan.apply, paused)
		}
		st.Suspended = true
		return st, opensAt
	}
	if !st.Suspended {
		next := sched.Next(now)
		st.NextScheduleTime = ptr.To(metav1.NewTime(next))
		plan.nextAt = due.Earliest(plan.nextAt, next)
	}
	desired := cronjobs.CronJob(cronjobs.Delivery{
		Name: name, Namespace: obj.Namespace, Owner: *metav1.NewControllerRef(obj, initiativeKind),
		Labels:   map[string]string{cronjobs.LabelInitiative: obj.Name, cronjobs.LabelReminder: digestName},
		Schedule: string(rr.Schedule), TimeZone: string(rr.TimeZone), Suspend: st.Suspended,
		ChannelType: channel.Spec.Type, SecretName: channel.Spec.SecretRef.Name,
		Kind: "reminder", Item: digestName, Initiative: obj.Namespace + "/" + obj.Name,
		Title: "Success Index reviews due", Text: digestText(obj, lines),
	}, opts)
	plan.keep[name] = true
	if !cronjobs.Unchanged(existing, desired) {
		plan.apply = append(plan.apply, desired)
	}
	return st, opensAt
}
