package recognitioncampaign

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/delivery"
	"github.com/momentum-dev/momentum/internal/ledger"
	"github.com/momentum-dev/momentum/internal/record"
)

// Prefixes of the keys in a campaign's ledger.
const (
	// keyNomination: the nomination was published.
	keyNomination = "nomination/"
	// keyHeld: the nomination was in a digest given up; it may have been
	// posted, so it never is again.
	keyHeld = "held/"
	// keyDigest: the digest of a scheduled time was delivered.
	keyDigest = "digest/"
	// keyGaveUp: the digest of a scheduled time was given up.
	keyGaveUp = "gaveup/"
)

// ledgerOf reads a campaign's ledger: the keys with a prefix, prefix cut,
// oldest first.
func ledgerOf(keys []string, prefix string) []string {
	var out []string
	for _, k := range keys {
		if name, ok := strings.CutPrefix(k, prefix); ok {
			out = append(out, name)
		}
	}
	return out
}

// withPrefix puts prefix before each name.
func withPrefix(prefix string, items []string) []string {
	if len(items) == 0 {
		return nil
	}
	out := make([]string, 0, len(items))
	for _, n := range items {
		out = append(out, prefix+n)
	}
	return out
}

// attemptPlan is what planAttempts decides about the digests under way.
type attemptPlan struct {
	// retries are new attempts of digests whose last attempt failed clearly.
	retries []retry
	// record are the ledger keys to add: delivered and given-up digests
	// and their nominations.
	record []string
	// published are the nominations newly delivered, in posting order.
	published []string
	// claimed are the nominations of digests not finished yet: no other
	// digest posts them.
	claimed []string
	// lastSuccess and lastFailure are the newest delivery and give-up.
	lastSuccess, lastFailure time.Time
	// retryAt is when the next attempt waits for its backoff.
	retryAt time.Time
	// events are emitted once the ledger records the outcomes.
	events []record.Event
}

// planAttempts follows each digest's attempts, as initiatives follow their
// celebrations: a success goes to the ledger with its nominations, a clear
// failure gets a new attempt after its backoff, and a digest given up goes
// to the ledger with its nominations held (never posted again). Digests the
// ledger already holds are done. It reads no API and no clock.
func planAttempts(obj *v1alpha1.RecognitionCampaign, jobs []batchv1.Job, done []string, p delivery.Policy, now time.Time) attemptPlan {
	var plan attemptPlan
	isDone := make(map[string]bool, len(done))
	for _, k := range done {
		isDone[k] = true
	}
	byTick := map[string][]*batchv1.Job{}
	for i := range jobs {
		j := &jobs[i]
		if tick := j.Annotations[cronjobs.AnnotationDigest]; tick != "" && metav1.IsControlledBy(j, obj) {
			byTick[tick] = append(byTick[tick], j)
		}
	}
	for _, tick := range slices.Sorted(maps.Keys(byTick)) {
		if isDone[keyDigest+tick] || isDone[keyGaveUp+tick] {
			continue
		}
		attempts := make([]delivery.Attempt, 0, len(byTick[tick]))
		var finished time.Time
		for _, j := range byTick[tick] {
			phase, at := delivery.PhaseOf(j)
			attempts = append(attempts, delivery.Attempt{N: attemptOf(j), Phase: phase, At: at})
			finished = latest(finished, at)
		}
		newest := slices.MaxFunc(byTick[tick], func(a, b *batchv1.Job) int { return attemptOf(a) - attemptOf(b) })
		noms := nominationsOf(newest)
		next := delivery.Next(p, attempts, now)
		switch {
		case next.Delivered:
			plan.record = append(append(plan.record, keyDigest+tick), withPrefix(keyNomination, noms)...)
			plan.published = append(plan.published, noms...)
			plan.lastSuccess = latest(plan.lastSuccess, finished)
			plan.events = append(plan.events, record.Event{Type: corev1.EventTypeNormal, Reason: v1alpha1.EventReasonSpotlighted,
				Note: "Spotlight published " + nominationList(noms)})
		case next.GaveUp != "":
			plan.record = append(append(plan.record, keyGaveUp+tick), withPrefix(keyHeld, noms)...)
			plan.lastFailure = latest(plan.lastFailure, finished)
			plan.events = append(plan.events, record.Event{Type: corev1.EventTypeWarning, Reason: v1alpha1.ReasonSpotlightFailed,
				Note: fmt.Sprintf("Spotlight %s %s; nominations %s are not posted again: see `kubectl logs job/%s -n %s` and the Channel's status",
					tick, next.GaveUp, nominationList(noms), newest.Name, obj.Namespace)})
		case next.Create > 0:
			plan.claimed = append(plan.claimed, noms...)
			plan.retries = append(plan.retries, retry{tick: tick, n: next.Create, noms: noms})
		default:
			plan.claimed = append(plan.claimed, noms...)
			if !next.RetryAt.IsZero() {
				plan.retryAt = earliest(plan.retryAt, next.RetryAt)
			}
		}
	}
	return plan
}

// deliveryFailing is the campaign's DeliveryFailing condition: True while
// the newest spotlight given up is newer than the newest delivered.
func deliveryFailing(st v1alpha1.RecognitionCampaignStatus) (metav1.ConditionStatus, string, string) {
	failed, published := st.LastFailureTime, st.LastPublicationTime
	if failed == nil || (published != nil && !published.Before(failed)) {
		return metav1.ConditionFalse, v1alpha1.ReasonDeliveriesSucceeding, "No spotlight delivery was given up since the last one published"
	}
	return metav1.ConditionTrue, v1alpha1.ReasonSpotlightFailed, fmt.Sprintf(
		"A spotlight's delivery was given up at %s and its nominations are not posted again (see the SpotlightFailed Warning Event): check the Channel's status and `kubectl logs` of the campaign's Jobs",
		failed.UTC().Format(time.RFC3339))
}

// initialLedger is what a campaign's ledger starts with when there is none
// yet: the nominations an earlier version recorded only in status.
func initialLedger(cm *corev1.ConfigMap, st v1alpha1.RecognitionCampaignStatus) []string {
	if cm != nil {
		return nil
	}
	return withPrefix(keyNomination, st.SpotlightedNominations)
}

// ledgerName is the campaign's ledger ConfigMap.
func ledgerName(obj *v1alpha1.RecognitionCampaign) string {
	return ledger.Name(campaignKind.Kind, obj.Name)
}

func nominationList(noms []string) string {
	if len(noms) == 0 {
		return "(none)"
	}
	return strings.Join(noms, ", ")
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}
