package recognitioncampaign

import (
	"fmt"
	"time"

	"github.com/robfig/cron/v3"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/quiethours"
	"github.com/momentum-dev/momentum/internal/refs"
	"github.com/momentum-dev/momentum/internal/spotlight"
	"github.com/momentum-dev/momentum/internal/text"
)

// check is one policy of the chain blocker runs: the Ready condition and
// Stalled reason of a campaign that cannot post spotlights, or false.
type check func(obj *v1alpha1.RecognitionCampaign, in inputs, schedErr error) (metav1.Condition, string, bool)

// checks run in order; the first that fails says what to fix first.
var checks = []check{initiativeMissing, scheduleInvalid, channelMissing, channelUnready}

// blocker is the first check that fails, if any.
func blocker(obj *v1alpha1.RecognitionCampaign, in inputs, schedErr error) (metav1.Condition, string, bool) {
	for _, c := range checks {
		if ready, stalled, failed := c(obj, in, schedErr); failed {
			return ready, stalled, true
		}
	}
	return metav1.Condition{}, "", false
}

func initiativeMissing(obj *v1alpha1.RecognitionCampaign, in inputs, _ error) (metav1.Condition, string, bool) {
	if in.initiative != nil {
		return metav1.Condition{}, "", false
	}
	return refs.InitiativeNotFound(obj.Namespace, obj.Spec.InitiativeRef.Name, "no spotlight is posted until then"), "", true
}

func scheduleInvalid(obj *v1alpha1.RecognitionCampaign, _ inputs, schedErr error) (metav1.Condition, string, bool) {
	if schedErr == nil {
		return metav1.Condition{}, "", false
	}
	return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonScheduleInvalid, fmt.Sprintf(
		"spec.schedule %q with time zone %q: %v: fix spec.schedule or spec.timeZone (no spotlight is posted until then)",
		obj.Spec.Schedule, obj.Spec.TimeZone, schedErr)), v1alpha1.ReasonScheduleInvalid, true
}

func channelMissing(obj *v1alpha1.RecognitionCampaign, in inputs, _ error) (metav1.Condition, string, bool) {
	if in.channel != nil {
		return metav1.Condition{}, "", false
	}
	return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonChannelNotFound, fmt.Sprintf(
		"Channel %s named in spec.channel not found in namespace %s: create it or fix spec.channel",
		obj.Spec.Channel, obj.Namespace)), "", true
}

// channelUnready waits quietly for a Channel not yet checked (no fault),
// and reports one that is not Ready.
func channelUnready(obj *v1alpha1.RecognitionCampaign, in inputs, _ error) (metav1.Condition, string, bool) {
	switch conditions.ChannelReadiness(in.channel) {
	case conditions.IsReady:
		return metav1.Condition{}, "", false
	case conditions.Pending:
		return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonChannelPending, fmt.Sprintf(
			"Waiting for Channel %s to be checked before a spotlight is posted to it", obj.Spec.Channel)), "", true
	}
	return conditions.Ready(metav1.ConditionFalse, v1alpha1.ReasonChannelNotReady, fmt.Sprintf(
		"Channel %s is not Ready, so no spotlight is posted to it until it is: see `kubectl describe channel %s -n %s`",
		obj.Spec.Channel, obj.Spec.Channel, obj.Namespace)), "", true
}

// readyCondition is Ready for a campaign that can post: when the next
// spotlight is, and what is pending.
func readyCondition(initiative *v1alpha1.Initiative, t spotlight.Tally, next time.Time, suspended bool) metav1.Condition {
	pending := text.Plural(len(t.Pending), "nomination") + " pending"
	if len(t.Rejected) > 0 {
		pending += fmt.Sprintf(", %s rejected (see status.rejected)", text.Plural(len(t.Rejected), "nomination"))
	}
	if suspended {
		return conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonSuspended, fmt.Sprintf(
			"Initiative %s is suspended, so spotlights are paused: set its spec.suspend to false to resume; %s", initiative.Name, pending))
	}
	return conditions.Ready(metav1.ConditionTrue, v1alpha1.ReasonScheduled, fmt.Sprintf(
		"Next spotlight at %s: %s", next.Format(time.RFC3339), pending))
}

// quiet is what the initiative's quiet hours say about the spotlight.
type quiet struct {
	// holdUntil is when today's holiday ends; zero on other days. A
	// spotlight due on a holiday is not posted; its nominations wait for
	// the next one.
	holdUntil time.Time
	// conflict describes a spotlight time outside the allowed windows, as
	// the Ready message; empty without one.
	conflict string
}

// quietHours applies the initiative's quiet hours to the spotlight.
func quietHours(initiative *v1alpha1.Initiative, sched cron.Schedule, now time.Time) quiet {
	cal, err := quiethours.New(initiative.Spec.QuietHours)
	if err != nil || cal == nil {
		return quiet{}
	}
	var q quiet
	if until, ok := quiethours.HolidayUntil(cal, now); ok {
		q.holdUntil = until
	}
	if at, bad := quiethours.Conflict(cal, sched, now); bad {
		q.conflict = fmt.Sprintf(
			"The spotlight fires at %s, in the quiet hours of Initiative %s: move spec.schedule into its spec.quietHours.allow (it still runs as scheduled)",
			at, initiative.Name)
	}
	return q
}
