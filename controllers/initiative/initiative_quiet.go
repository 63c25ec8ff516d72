package initiative

import (
	"context"
	"fmt"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
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

// planSuccessAndCalendar adds to the decision what the Success Index and
// the quiet hours ask for: the review digest, holiday holds, held quick wins
// and the commitments roll-up. It returns when any of it next changes.
func planSuccessAndCalendar(obj *v1alpha1.Initiative, ch inputs, opts cronjobs.Options, now time.Time, d *decision) time.Time {
	var digestAt time.Time
	obj.Status.ReviewReminder, digestAt = planReviewDigest(obj, ch, opts, now, &d.reminders)
	holidayEnds := holdOnHolidays(obj, ch, &d.reminders, now)
	quietEnds := holdCelebrations(obj, d.celebrations, now)
	successAt := applySuccess(obj, ch.success, now)
	return due.Earliest(digestAt, holidayEnds, quietEnds, successAt)
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

// holdCelebrations creates new quick-win Jobs suspended when now is in
// quiet hours (their names stay deterministic, so each win is still posted
// exactly once) and returns when they may go out.
func holdCelebrations(obj *v1alpha1.Initiative, jobs []*batchv1.Job, now time.Time) time.Time {
	cal := calendar(obj)
	next, ok := cal.Next(now)
	if len(jobs) == 0 || (ok && next.Equal(now)) {
		return time.Time{}
	}
	for _, j := range jobs {
		j.Spec.Suspend = ptr.To(true)
		j.Annotations[AnnotationHeld] = held
	}
	return next
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

// flagQuietHoursConflicts turns a passing Ready into QuietHoursConflict
// when a reminder or the review digest fires in quiet hours; a Ready that
// already reports a fault keeps it.
func flagQuietHoursConflicts(obj *v1alpha1.Initiative, d *decision, now time.Time) {
	if d.ready.Status != metav1.ConditionTrue {
		return
	}
	conflicts := quietConflicts(obj, now)
	if len(conflicts) == 0 {
		return
	}
	d.ready = conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonQuietHoursConflict, fmt.Sprintf(
		"%s, in quiet hours: move the schedule into spec.quietHours.allow or widen the allowed hours (it still runs as scheduled)",
		strings.Join(conflicts, "; ")))
	d.events = append(d.events, conditions.Warning(meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady), d.ready)...)
}

// holdOnHolidays suspends every scheduled delivery of the initiative for
// the rest of a holiday, and returns when the holiday ends. The next
// reconcile after it applies the desired CronJobs again (they differ from
// the held ones).
func holdOnHolidays(obj *v1alpha1.Initiative, ch inputs, plan *reminderPlan, now time.Time) time.Time {
	until, ok := quiethours.HolidayUntil(calendar(obj), now)
	if !ok {
		return time.Time{}
	}
	applied := map[string]*batchv1.CronJob{}
	for _, cj := range plan.apply {
		applied[cj.Name] = cj
	}
	plan.apply = plan.apply[:0]
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
	return until
}
