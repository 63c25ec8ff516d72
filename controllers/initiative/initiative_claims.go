package initiative

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/ledger"
	"github.com/momentum-dev/momentum/internal/record"
)

// keyHeld starts the ledger key of a win never posted again: its delivery
// was given up, or its outcome is unknown. A delivered win's key is the
// win's own.
const keyHeld = "held/"

// settledWin says whether the ledger holds an outcome for win.
func settledWin(keys []string, win string) bool {
	return slices.Contains(keys, win) || slices.Contains(keys, keyHeld+win)
}

// unknownWins are the wins an earlier initiative of the same name claimed
// for a celebration whose Job was deleted with it (kubectl delete, a
// GitOps prune) before its outcome was recorded: they may have been
// posted, so they are held, never celebrated again.
func unknownWins(obj *v1alpha1.Initiative, keys []string) []string {
	var out []string
	for _, win := range ledger.Orphaned(keys, obj.UID) {
		if !settledWin(keys, win) {
			out = append(out, win)
		}
	}
	return out
}

// celebrationLedger is the initiative's one ledger write of a reconcile:
// the wins delivered, the wins held (given up, or of unknown outcome), a
// claim on each win whose Job is about to be created (written before it,
// as a write-ahead log), and the claims those outcomes settle.
func celebrationLedger(obj *v1alpha1.Initiative, p celebrationPlan) ledger.Change {
	held := slices.Concat(slices.Sorted(maps.Keys(p.deliveries.gaveUp)), p.unknown)
	c := ledger.Change{Owner: obj.UID, Rank: evictionRank(obj),
		Record: slices.Concat(p.deliveries.delivered, withPrefix(keyHeld, held)),
		Settle: slices.Concat(p.deliveries.delivered, held)}
	for _, j := range slices.Concat(p.jobs, p.deliveries.retries) {
		c.Claim = append(c.Claim, j.Annotations[cronjobs.AnnotationWin])
	}
	return c
}

// winsUnknown is the Warning naming the wins held because their outcome
// is unknown; none without any.
func winsUnknown(obj *v1alpha1.Initiative, wins []string) []record.Event {
	if len(wins) == 0 {
		return nil
	}
	return []record.Event{{Type: corev1.EventTypeWarning, Reason: v1alpha1.EventReasonDeliveryOutcomeUnknown, Note: fmt.Sprintf(
		"A celebration Job of an earlier initiative %s was deleted with it before it finished: quick wins %s may have been posted and are not celebrated again",
		obj.Name, strings.Join(wins, ", "))}}
}

// withPrefix puts prefix before each item.
func withPrefix(prefix string, items []string) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, prefix+it)
	}
	return out
}

// evictionRank orders the initiative's ledger keys for eviction past
// ledger.MaxKeys: the win of entering a stage still in spec.stages (posted
// or held) can happen again, so it is kept; an indicator's wins are
// numbered, never repeated, and go oldest first.
func evictionRank(obj *v1alpha1.Initiative) func(string) ledger.Rank {
	stages := make(map[string]bool, len(obj.Spec.Stages))
	for _, s := range obj.Spec.Stages {
		stages["stage-"+s.Name] = true
	}
	return func(key string) ledger.Rank {
		if stages[strings.TrimPrefix(key, keyHeld)] {
			return ledger.Kept
		}
		return ledger.Ordinary
	}
}
