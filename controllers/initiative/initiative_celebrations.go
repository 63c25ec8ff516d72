package initiative

import (
	"slices"
	"strconv"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/celebrate"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/ledger"
	"github.com/momentum-dev/momentum/internal/record"
	"github.com/momentum-dev/momentum/internal/sources"
)

// celebrationPlan is what planCelebrations decides.
type celebrationPlan struct {
	// jobs are the one-off Jobs that post new quick wins.
	jobs []*batchv1.Job
	// celebrated stays empty: a win is Celebrated once its Job delivered it
	// (see deliveryPlan.celebrated).
	celebrated []record.Event
	// status is status.celebrations once the Jobs exist.
	status *v1alpha1.CelebrationStatus
	// deliveries follows the wins already under way.
	deliveries deliveryPlan
	// gaveUp are the Warnings for wins given up this time.
	gaveUp []record.Event
	// missingChannel names the celebrations' Channel when it does not
	// exist; unreadyChannel when it exists but is not Ready.
	missingChannel, unreadyChannel string
	// ledgerInvalid says why the ledger cannot be read: nothing is
	// celebrated while it stands.
	ledgerInvalid string
	// unknown are the wins of an earlier initiative of the same name whose
	// outcome is unknown: held, never celebrated again.
	unknown []string
}

// defaultCooldown is how long an indicator measured from Git samples must
// stay off target before reaching it again is a new win.
const defaultCooldown = 24 * time.Hour

// planCelebrations decides the quick wins to post and what status records
// of them. Without a Ready Channel nothing is posted and status is kept, so
// the wins wait for it.
func planCelebrations(obj *v1alpha1.Initiative, inds []v1alpha1.LeadingIndicator, ch inputs, opts cronjobs.Options, now time.Time) celebrationPlan {
	keys, err := ledger.Keys(ch.ledger)
	if err != nil { // nothing celebrated or recorded while it stands
		return celebrationPlan{status: obj.Status.Celebrations, ledgerInvalid: err.Error()}
	}
	p := celebrationPlan{unknown: unknownWins(obj, keys)}
	if obj.Spec.Celebrations == nil {
		return p // configuring them again starts afresh, silently
	}
	p.status = obj.Status.Celebrations
	channel, ok := ch.channels[obj.Spec.Celebrations.Channel]
	switch {
	case !ok:
		p.missingChannel = obj.Spec.Celebrations.Channel
		return p
	case ch.notReady[channel.Name]:
		p.unreadyChannel = channel.Name // wins wait, unrecorded, until it can deliver
		return p
	}
	wins, next := celebrate.Decide(obj.Name, obj.Status.Celebrations, obj.Status.History, celebrationInputs(inds), now)
	build := func(w celebrate.Win, n int) *batchv1.Job { return celebrationJob(obj, channel, w, n, opts) }
	p.deliveries = planDeliveries(obj, ch.jobs, keys, ch.deliveries, build, now)
	p.status, p.gaveUp = recordGivenUp(obj, next, p.deliveries.gaveUp)
	for _, w := range wins {
		if settledWin(keys, w.Key) || slices.Contains(p.unknown, w.Key) {
			continue // handled before this initiative was re-created or restored
		}
		p.jobs = append(p.jobs, celebrationJob(obj, channel, w, 1, opts))
	}
	return p
}

// celebrationInputs are the indicators as the win detector sees them: an
// indicator with a live source cools down for one interval, one measured
// from Git samples for defaultCooldown.
func celebrationInputs(inds []v1alpha1.LeadingIndicator) []celebrate.Indicator {
	in := make([]celebrate.Indicator, 0, len(inds))
	for _, ind := range inds {
		cooldown := defaultCooldown
		if src := ind.Spec.Source; src != nil {
			cooldown = sources.Interval(src)
		}
		in = append(in, celebrate.Indicator{Name: ind.Name, Health: ind.Status.Health, Value: ind.Status.Value, Target: ind.Spec.Target, Cooldown: cooldown})
	}
	return in
}

// celebrationJob is attempt n's Job of a win; every attempt carries the
// win's one idempotency key.
func celebrationJob(obj *v1alpha1.Initiative, channel *v1alpha1.Channel, w celebrate.Win, n int, opts cronjobs.Options) *batchv1.Job {
	name := celebrationName(obj.Name, w.Key)
	if n > 1 {
		name = celebrationAttemptName(obj.Name, w.Key, n)
	}
	return cronjobs.Job(cronjobs.Delivery{
		Name:  name,
		Owner: *metav1.NewControllerRef(obj, initiativeKind), Namespace: obj.Namespace,
		Labels:      map[string]string{cronjobs.LabelInitiative: obj.Name, cronjobs.LabelCelebration: "true"},
		Annotations: map[string]string{cronjobs.AnnotationWin: w.Key, cronjobs.AnnotationAttempt: strconv.Itoa(n)},
		ChannelType: channel.Spec.Type, SecretName: channel.Spec.SecretRef.Name,
		Kind: "celebration", Item: w.Key, Initiative: obj.Namespace + "/" + obj.Name,
		Title: w.Title, Text: w.Text, Key: celebrationKey(obj, w.Key),
	}, opts)
}
