package initiative

import (
	"fmt"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/quiethours"
)

// planReviewDigest is the review digest's plan: the same restricted Job and
// notify path as reminders, with a digest of the commitments whose review
// is due, suspended while none is. It returns the digest's status and when
// the digest next changes by time alone.
func planReviewDigest(obj *v1alpha1.Initiative, ch inputs, opts cronjobs.Options, now time.Time) (reminderPlan, *v1alpha1.ReminderStatus, time.Time) {
	rr := obj.Spec.ReviewReminder
	if rr == nil {
		return reminderPlan{}, nil, time.Time{}
	}
	name := reminderName(obj.Name, digestName)
	existing := ch.cronJobs[name]
	plan, st := observed(digestName, name, existing, ch.jobs)
	lines, opensAt := reviewsDue(ch.success.owners, now)
	st.Suspended = suspended(obj) || len(lines) == 0
	sched, err := quiethours.ParseSchedule(rr.Schedule, rr.TimeZone)
	if err != nil {
		plan.invalid = []string{fmt.Sprintf("spec.reviewReminder: schedule %q: %v", rr.Schedule, err)}
		return plan, &st, opensAt
	}
	channel, ok := ch.channels[rr.Channel]
	why, taken := ch.taken[name]
	switch {
	case taken:
		plan.conflicts = []string{"spec.reviewReminder: " + why}
		st.CronJobName = ""
		return plan, &st, opensAt
	case !ok:
		plan.missingChannels = []string{rr.Channel}
		return plan, &st, opensAt
	case ch.notReady[rr.Channel]:
		plan.unreadyChannels = []string{rr.Channel}
		plan.apply = pausedOf(existing)
		st.Suspended = true
		return plan, &st, opensAt
	}
	if !st.Suspended {
		st.NextScheduleTime, plan.nextAt = nextRun(sched, now)
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
		plan.apply = []*batchv1.CronJob{desired}
	}
	return plan, &st, opensAt
}
