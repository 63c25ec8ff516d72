package initiative

import (
	"context"
	"fmt"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/due"
	"github.com/momentum-dev/momentum/internal/quiethours"
	"github.com/momentum-dev/momentum/internal/stages"
)

// +kubebuilder:rbac:groups=batch,resources=jobs,verbs=get;list;watch;create;patch

// AnnotationHeld marks a celebration Job created suspended because it fell
// in quiet hours; the controller resumes it at the next allowed moment.
const AnnotationHeld = "culture.momentum.dev/held-for-quiet-hours"

// held is AnnotationHeld's value.
const held = "true"

// childPlan is what the initiative's children are to be: reminder
// CronJobs (the review digest's among them), celebration Jobs, and what
// status records of them once they are.
type childPlan struct {
	reminders reminderPlan
	wins      celebrationPlan
	recorded  recorded
	// recheckAt is when any of it next changes by time alone.
	recheckAt time.Time
}

// planChildren plans the reminders, the review digest and the quick wins,
// then holds what quiet hours and holidays ask to hold.
func planChildren(obj *v1alpha1.Initiative, ownInds []v1alpha1.LeadingIndicator, ch inputs, opts cronjobs.Options, now time.Time) childPlan {
	digest, digestStatus, digestAt := planReviewDigest(obj, ch, opts, now)
	reminders := planReminders(obj, ownInds, ch, opts, now)
	p := childPlan{recorded: recorded{reminders: reminders.statuses, reviewReminder: digestStatus}}
	p.reminders = reminders.merge(digest)
	var holidayEnds, quietEnds time.Time
	p.reminders, holidayEnds = holdOnHolidays(obj, ch, p.reminders, now)
	p.wins = planCelebrations(obj, ownInds, ch, opts, now)
	p.wins.jobs, quietEnds = holdCelebrations(obj, p.wins.jobs, now)
	p.recorded.celebrations = p.wins.status
	p.recheckAt = due.Earliest(p.reminders.nextAt, digestAt, holidayEnds, quietEnds, p.wins.deliveries.retryAt)
	return p
}

// calendar parses spec.quietHours; a calendar the manager cannot read (the
// API server validated it) counts as none, so nothing is held forever.
func calendar(obj *v1alpha1.Initiative) *quiethours.Calendar {
	c, err := quiethours.New(obj.Spec.QuietHours)
	if err != nil {
		return nil
	}
	return c
}

// freezeOf is the freeze in force now, for the stage decision.
func freezeOf(obj *v1alpha1.Initiative, now time.Time) *stages.Freeze {
	name, until, ok := calendar(obj).FreezeAt(now)
	if !ok {
		return nil
	}
	return &stages.Freeze{Name: name, Until: until}
}

// holdCelebrations is the new quick-win Jobs to create, suspended when now
// is in quiet hours (their names stay deterministic, so each win is still
// posted exactly once), and when they may go out.
func holdCelebrations(obj *v1alpha1.Initiative, jobs []*batchv1.Job, now time.Time) ([]*batchv1.Job, time.Time) {
	cal := calendar(obj)
	next, ok := cal.Next(now)
	if len(jobs) == 0 || (ok && next.Equal(now)) {
		return jobs, time.Time{}
	}
	out := make([]*batchv1.Job, 0, len(jobs))
	for _, j := range jobs {
		j = j.DeepCopy()
		j.Spec.Suspend = ptr.To(true)
		j.Annotations[AnnotationHeld] = held
		out = append(out, j)
	}
	return out, next
}

// releaseHeld resumes held celebration Jobs once messages are allowed, and
// returns when to look again while they are not.
func (r *Reconciler) releaseHeld(ctx context.Context, obj *v1alpha1.Initiative, jobs []batchv1.Job, now time.Time) (time.Time, error) {
	cal := calendar(obj)
	next, ok := cal.Next(now)
	allowed := ok && next.Equal(now)
	var wait time.Time
	for i := range jobs {
		j := &jobs[i]
		if j.Annotations[AnnotationHeld] != held || !ptr.Deref(j.Spec.Suspend, false) || !metav1.IsControlledBy(j, obj) {
			continue
		}
		if !allowed {
			wait = next
			continue
		}
		patch := client.MergeFrom(j.DeepCopy())
		j.Spec.Suspend = ptr.To(false)
		if err := r.Client.Patch(ctx, j, patch); client.IgnoreNotFound(err) != nil {
			return time.Time{}, fmt.Errorf("resuming celebration Job %s after quiet hours: %w", j.Name, err)
		}
		logf.FromContext(ctx).Info("Resumed celebration Job after quiet hours", "job", j.Name)
	}
	return wait, nil
}

// quietConflicts describes each reminder (and the review digest) whose
// schedule fires in quiet hours.
func quietConflicts(obj *v1alpha1.Initiative, now time.Time) []string {
	cal := calendar(obj)
	if cal == nil {
		return nil
	}
	var out []string
	check := func(name string, schedule v1alpha1.CronSchedule, tz v1alpha1.TimeZone) {
		sched, err := quiethours.ParseSchedule(schedule, tz)
		if err != nil {
			return // reported as ScheduleInvalid by the reminder plan
		}
		if at, bad := quiethours.Conflict(cal, sched, now); bad {
			out = append(out, fmt.Sprintf("%s fires at %s", name, at))
		}
	}
	for _, rem := range obj.Spec.Reminders {
		check("reminder "+rem.Name, rem.Schedule, rem.TimeZone)
	}
	if rr := obj.Spec.ReviewReminder; rr != nil {
		check("spec.reviewReminder", rr.Schedule, rr.TimeZone)
	}
	return out
}

// holdOnHolidays is the plan with every scheduled delivery of the
// initiative suspended for the rest of a holiday, and when the holiday
// ends. The next reconcile after it applies the desired CronJobs again
// (they differ from the held ones).
func holdOnHolidays(obj *v1alpha1.Initiative, ch inputs, plan reminderPlan, now time.Time) (reminderPlan, time.Time) {
	until, ok := quiethours.HolidayUntil(calendar(obj), now)
	if !ok {
		return plan, time.Time{}
	}
	applied := map[string]*batchv1.CronJob{}
	for _, cj := range plan.apply {
		applied[cj.Name] = cj
	}
	plan.apply = nil
	for name := range plan.keep {
		if desired := applied[name]; desired != nil {
			held := desired.DeepCopy()
			held.Spec.Suspend = ptr.To(true)
			if !cronjobs.Unchanged(ch.cronJobs[name], held) {
				plan.apply = append(plan.apply, held)
			}
		} else if paused := cronjobs.Paused(ch.cronJobs[name]); paused != nil {
			plan.apply = append(plan.apply, paused)
		}
	}
	return plan, until
}
