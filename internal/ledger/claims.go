package ledger

import (
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/types"
)

// claimPrefix starts a claim: "claim/<owner UID>/<item>", written before the
// Job that delivers item is created (a write-ahead record). A claim is
// pruned in the write that records its item's outcome, so a claim left by
// an owner that no longer exists (another UID under the same name) means
// its Job was deleted with it before anyone saw how it ended: the item may
// have been posted.
const claimPrefix = "claim/"

// Change is one write to a ledger.
type Change struct {
	// Record are the outcome keys to add.
	Record []string
	// Owner claims Claim: items whose delivery Jobs are about to be created.
	Owner types.UID
	Claim []string
	// Settle are items whose outcome is recorded: their claims, by any
	// owner, are pruned.
	Settle []string
	// Rank says which outcome keys go first past MaxKeys; nil ranks all
	// Ordinary.
	Rank func(key string) Rank
}

// Rank orders the eviction of outcome keys past MaxKeys: Expired ones go
// first, then Ordinary ones, oldest first; Kept ones (and claims) never.
type Rank int

const (
	// Expired keys go first: they no longer matter.
	Expired Rank = iota
	// Ordinary keys go next, oldest first.
	Ordinary
	// Kept keys are never dropped.
	Kept
)

// Claim is the key of owner's claim on item.
func Claim(owner types.UID, item string) string {
	return claimPrefix + string(owner) + "/" + item
}

// Orphaned lists, sorted and each once, the items claimed by owners other
// than owner (earlier incarnations under the same name) whose outcome is
// unknown: nothing pruned their claims.
func Orphaned(keys []string, owner types.UID) []string {
	var out []string
	seen := map[string]bool{}
	for _, k := range keys {
		uid, item, ok := parseClaim(k)
		if ok && uid != owner && !seen[item] {
			seen[item] = true
			out = append(out, item)
		}
	}
	slices.Sort(out)
	return out
}

// Apply returns keys with c applied: settled claims pruned, then outcomes
// and new claims appended (each once, in order), the oldest outcomes
// dropped beyond MaxKeys (claims are never dropped: an unfinished delivery
// must stay known), and whether anything changed.
func Apply(keys []string, c Change) ([]string, bool) {
	settle := set(c.Settle)
	out := slices.DeleteFunc(slices.Clone(keys), func(k string) bool {
		_, item, ok := parseClaim(k)
		return ok && settle[item]
	})
	changed := len(out) != len(keys)
	add := slices.Clone(c.Record)
	for _, item := range c.Claim {
		if !settle[item] {
			add = append(add, Claim(c.Owner, item))
		}
	}
	have := set(out)
	for _, k := range add {
		if k == "" || strings.Contains(k, "\n") || have[k] {
			continue
		}
		have[k] = true
		out, changed = append(out, k), true
	}
	return trim(out, c.Rank), changed
}

// trim drops outcome keys beyond MaxKeys, the Expired ones first, then the
// Ordinary ones, oldest first; claims and Kept keys stay.
func trim(keys []string, rank func(string) Rank) []string {
	if rank == nil {
		rank = func(string) Rank { return Ordinary }
	}
	for _, evict := range []Rank{Expired, Ordinary} {
		excess := len(keys) - MaxKeys
		if excess <= 0 {
			return keys
		}
		keys = slices.DeleteFunc(keys, func(k string) bool {
			if _, _, claim := parseClaim(k); claim || excess == 0 || rank(k) != evict {
				return false
			}
			excess--
			return true
		})
	}
	return keys
}

// parseClaim splits a claim key into its owner and item.
func parseClaim(key string) (types.UID, string, bool) {
	rest, ok := strings.CutPrefix(key, claimPrefix)
	if !ok {
		return "", "", false
	}
	uid, item, ok := strings.Cut(rest, "/")
	if !ok || uid == "" || item == "" {
		return "", "", false
	}
	return types.UID(uid), item, true
}

// set is items as a set, for lookups in linear time.
func set(items []string) map[string]bool {
	out := make(map[string]bool, len(items))
	for _, k := range items {
		out[k] = true
	}
	return out
}
