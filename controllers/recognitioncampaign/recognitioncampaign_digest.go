package recognitioncampaign

import (
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/names"
	"github.com/momentum-dev/momentum/internal/spotlight"
)

// startingDeadline is how late a spotlight may still be posted after its
// scheduled time (the manager was down, the Channel not Ready, a holiday):
// later, it is skipped and its nominations wait for the next one, as a
// CronJob's startingDeadlineSeconds would have it.
const startingDeadline = time.Hour

// maxTicks bounds the schedule times walked to find the due one: a
// five-field schedule fires at most once a minute, 60 times in an hour.
const maxTicks = 64

// campaignKind is the kind of the owner of digest Jobs.
var campaignKind = v1alpha1.GroupVersion.WithKind("RecognitionCampaign")

// tickKey names the spotlight due at t: the same for every reconcile, so a
// digest Job is created at most once per scheduled time.
func tickKey(t time.Time) string { return t.UTC().Format(tickLayout) }

// tickLayout is the layout of a scheduled time in keys and names.
const tickLayout = "20060102t1504z"

// digestKey is the idempotency key of the digest of one scheduled time, the
// same for every attempt: a webhook receiver drops a repeated POST (Slack
// and Teams cannot; see the README's Guarantees).
func digestKey(obj *v1alpha1.RecognitionCampaign, tick string) string {
	return "spotlight/" + obj.Namespace + "/" + obj.Name + "/" + tick
}

// digestJobName is the Job of attempt n (from 1) of a digest.
func digestJobName(campaign, tick string, n int) string {
	key := tick
	if n > 1 {
		key += "#" + strconv.Itoa(n)
	}
	return names.Job(names.Child{OwnerKind: campaignKind.Kind, OwnerName: campaign, Role: names.RoleSpotlight, Key: key})
}

// dueTick is the newest scheduled time after since and at most now, no
// older than startingDeadline; zero when none is due.
func dueTick(sched cron.Schedule, since, now time.Time) time.Time {
	if from := now.Add(-startingDeadline); since.Before(from) {
		since = from
	}
	var due time.Time
	for t, i := sched.Next(since), 0; !t.IsZero() && !t.After(now) && i < maxTicks; t, i = sched.Next(t), i+1 {
		due = t
	}
	return due
}

// handledSince is the time from which spotlights are due: the newest one
// handled or, for a campaign never scheduled (new, or re-created from Git
// without its status), now: it posts nothing for times before it was seen.
func handledSince(obj *v1alpha1.RecognitionCampaign, now time.Time) time.Time {
	if t := obj.Status.LastScheduleTime; t != nil {
		return t.Time
	}
	return now
}

// nextTick is the next scheduled time after now, in the schedule's own
// time zone (messages show its wall clock).
func nextTick(sched cron.Schedule, now time.Time) time.Time {
	next := sched.Next(now)
	if spec, ok := sched.(*cron.SpecSchedule); ok {
		next = next.In(spec.Location)
	}
	return next
}

// digestJob is the first attempt of the digest due at tick, posting batch.
func digestJob(obj *v1alpha1.RecognitionCampaign, in inputs, tick string, batch []v1alpha1.Nomination) *batchv1.Job {
	return digestAttemptJob(obj, in, tick, 1, batch)
}

// digestAttemptJob is attempt n of the digest due at tick, posting batch
// under the digest's one idempotency key.
func digestAttemptJob(obj *v1alpha1.RecognitionCampaign, in inputs, tick string, n int, batch []v1alpha1.Nomination) *batchv1.Job {
	return cronjobs.Job(cronjobs.Delivery{
		Name: digestJobName(obj.Name, tick, n), Namespace: obj.Namespace, Owner: *metav1.NewControllerRef(obj, campaignKind),
		Labels: map[string]string{cronjobs.LabelCampaign: obj.Name, cronjobs.LabelInitiative: in.initiative.Name},
		Annotations: map[string]string{cronjobs.AnnotationDigest: tick, cronjobs.AnnotationAttempt: strconv.Itoa(n),
			cronjobs.AnnotationNominations: strings.Join(spotlight.Names(batch), ",")},
		ChannelType: in.channel.Spec.Type, SecretName: in.channel.Spec.SecretRef.Name,
		Kind: "spotlight", Item: obj.Name, Initiative: obj.Namespace + "/" + in.initiative.Name,
		Title: "Spotlight: " + obj.Name, Text: spotlight.Digest(batch, obj.Spec.Behaviors),
		Key: digestKey(obj, tick),
	}, in.jobOpts)
}

// retry is a new attempt of a digest: its scheduled time, its number and
// the nominations the earlier attempts carried.
type retry struct {
	tick string
	n    int
	noms []string
}

// retryJob is a retry built as the first attempt is, from the spec, the
// Channel and the options: never copied from a live Job, which anyone who
// can create Jobs in the namespace can forge. It posts the nominations the
// spec still holds of those the earlier attempts carried.
func retryJob(obj *v1alpha1.RecognitionCampaign, in inputs, r retry) *batchv1.Job {
	byName := make(map[string]v1alpha1.Nomination, len(obj.Spec.Nominations))
	for _, n := range obj.Spec.Nominations {
		byName[n.Name] = n
	}
	batch := make([]v1alpha1.Nomination, 0, len(r.noms))
	for _, name := range r.noms {
		if n, ok := byName[name]; ok {
			batch = append(batch, n)
		}
	}
	return digestAttemptJob(obj, in, r.tick, r.n, batch)
}

// retryJobs are the Jobs of retries.
func retryJobs(obj *v1alpha1.RecognitionCampaign, in inputs, retries []retry) []*batchv1.Job {
	out := make([]*batchv1.Job, 0, len(retries))
	for _, r := range retries {
		out = append(out, retryJob(obj, in, r))
	}
	return out
}

// attemptOf is the attempt number a digest Job carries (1 when absent).
func attemptOf(j *batchv1.Job) int {
	if n, err := strconv.Atoi(j.Annotations[cronjobs.AnnotationAttempt]); err == nil && n > 0 {
		return n
	}
	return 1
}

// nominationsOf lists the nominations a digest Job posts: names status
// can hold (DNS labels), each once, at most spotlight.MaxPerSpotlight, so a
// forged annotation neither breaks the status write nor grows the ledger.
func nominationsOf(j *batchv1.Job) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range strings.Split(j.Annotations[cronjobs.AnnotationNominations], ",") {
		n = strings.TrimSpace(n)
		if len(validation.IsDNS1123Label(n)) > 0 || seen[n] {
			continue
		}
		if len(out) == spotlight.MaxPerSpotlight {
			break
		}
		seen[n], out = true, append(out, n)
	}
	return out
}
