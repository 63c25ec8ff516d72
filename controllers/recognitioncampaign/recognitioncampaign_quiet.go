package recognitioncampaign

import (
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/quiethours"
)

// followQuietHours applies the initiative's quiet hours to the spotlight: a
// schedule that fires outside the allowed windows is reported
// (QuietHoursConflict), and on a holiday the CronJob is suspended for the
// day. A spotlight marks its nominations published only when its Job
// completes, so a held one goes out with the next: exactly once still holds.
func followQuietHours(obj *v1alpha1.RecognitionCampaign, in inputs, d *decision, now time.Time) {
	if in.initiative == nil {
		return
	}
	cal, err := quiethours.New(in.initiative.Spec.QuietHours)
	if err != nil || cal == nil {
		return
	}
	if until, ok := quiethours.HolidayUntil(cal, now); ok {
		if d.apply != nil {
			// The desired CronJob, held: Paused reads what Momentum applied
			// from managedFields, which a CronJob not yet applied lacks.
			held := d.apply.DeepCopy()
			held.Spec.Suspend = ptr.To(true)
			d.apply = held
		} else {
			d.apply = cronjobs.Paused(in.cronJob)
		}
		if d.nextAt.IsZero() || until.Before(d.nextAt) {
			d.nextAt = until
		}
	}
	if d.ready.Status != metav1.ConditionTrue {
		return
	}
	sched, err := quiethours.ParseSchedule(obj.Spec.Schedule, obj.Spec.TimeZone)
	if err != nil {
		return
	}
	if at, bad := quiethours.Conflict(cal, sched, now); bad {
		d.ready = conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonQuietHoursConflict, fmt.Sprintf(
			"The spotlight fires at %s, in the quiet hours of Initiative %s: move spec.schedule into its spec.quietHours.allow (it still runs as scheduled)",
			at, in.initiative.Name))
		d.events = append(d.events, conditions.Warning(meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady), d.ready)...)
	}
}
