package recognitioncampaign

import (
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/ledger"
	"github.com/momentum-dev/momentum/internal/record"
)

// ledgerChange is the campaign's one ledger write of a reconcile: the
// outcomes decided, a claim on each nomination of the digest Jobs about to
// be created (written before them, as a write-ahead log), and the claims
// those outcomes settle.
func ledgerChange(obj *v1alpha1.RecognitionCampaign, d decision) ledger.Change {
	noms := make([][]string, 0, len(d.create))
	for _, j := range d.create {
		noms = append(noms, nominationsOf(j))
	}
	return ledger.Change{
		Record: d.record, Owner: obj.UID, Claim: slices.Concat(noms...),
		Settle: slices.Concat(ledgerOf(d.record, keyNomination), ledgerOf(d.record, keyHeld)),
		Rank:   evictionRank(obj, d.at),
	}
}

// digestKeyLife is how long a digest's outcome key matters: while its Jobs
// may exist (their TTL after the latest they may run).
const digestKeyLife = cronjobs.JobTTL + startingDeadline

// evictionRank orders the campaign's ledger keys for eviction past
// ledger.MaxKeys: digest outcomes older than their Jobs can be go first; a
// nomination published or held is kept while spec.nominations names it, so
// it is never posted again.
func evictionRank(obj *v1alpha1.RecognitionCampaign, now time.Time) func(string) ledger.Rank {
	inSpec := make(map[string]bool, len(obj.Spec.Nominations))
	for _, n := range obj.Spec.Nominations {
		inSpec[n.Name] = true
	}
	return func(key string) ledger.Rank {
		for _, p := range []string{keyNomination, keyHeld} {
			if name, ok := strings.CutPrefix(key, p); ok && inSpec[name] {
				return ledger.Kept
			}
		}
		for _, p := range []string{keyDigest, keyGaveUp} {
			tick, ok := strings.CutPrefix(key, p)
			if !ok {
				continue
			}
			if at, err := time.Parse(tickLayout, tick); err == nil && at.Add(digestKeyLife).Before(now) {
				return ledger.Expired
			}
		}
		return ledger.Ordinary
	}
}

// unknownOutcomes are the nominations an earlier campaign of the same name
// claimed for a digest whose Job was deleted with it (kubectl delete, a
// GitOps prune) before its outcome was recorded: they may have been
// posted, so they are held, never posted again.
func unknownOutcomes(obj *v1alpha1.RecognitionCampaign, keys []string) []string {
	var out []string
	orphaned := ledger.Orphaned(keys, obj.UID)
	if len(orphaned) == 0 {
		return nil
	}
	have := make(map[string]bool, len(keys))
	for _, k := range keys {
		have[k] = true
	}
	for _, n := range orphaned {
		if !have[keyNomination+n] && !have[keyHeld+n] {
			out = append(out, n)
		}
	}
	return out
}

// outcomeUnknown is the Warning naming the nominations held because their
// outcome is unknown; none without any.
func outcomeUnknown(obj *v1alpha1.RecognitionCampaign, noms []string) []record.Event {
	if len(noms) == 0 {
		return nil
	}
	return []record.Event{{Type: corev1.EventTypeWarning, Reason: v1alpha1.EventReasonDeliveryOutcomeUnknown, Note: fmt.Sprintf(
		"A spotlight Job of an earlier campaign %s was deleted with it before it finished: nominations %s may have been posted and are not posted again; nominate them anew to publish them",
		obj.Name, nominationList(noms))}}
}
