package recognitioncampaign

import (
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
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
