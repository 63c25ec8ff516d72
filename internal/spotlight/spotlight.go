// Package spotlight decides what a RecognitionCampaign publishes: which
// nominations qualify, which are still pending, the digest text of the next
// spotlight, and which nominations a finished delivery published. Every
// function is pure, so a retried spotlight publishes exactly the same digest
// and no nomination is published twice or skipped.
package spotlight

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
)

// MaxSpotlighted bounds status.spotlightedNominations (its CRD MaxItems).
const MaxSpotlighted = 200

// Header opens every digest with pending nominations.
const Header = "Customer heroes this week"

// Tally is what a campaign's nominations add up to.
type Tally struct {
	// Pending are the qualifying nominations not yet published, by (at, name).
	Pending []v1alpha1.Nomination
	// Qualifying counts nominations that qualify; Spotlighted those of them
	// already published.
	Qualifying, Spotlighted int32
	// ByBehavior counts qualifying nominations per behavior, by behavior name.
	ByBehavior []v1alpha1.BehaviorCount
	// LeadershipShare and PeerShare are percentages of the qualifying
	// nominations; nil when none qualify.
	LeadershipShare, PeerShare *int32
	// Rejected are the nominations that do not qualify, in spec order.
	Rejected []v1alpha1.RejectedNomination
}

// Evaluate judges every nomination of spec against the campaign's behaviors
// and the initiative's, given the names already published.
func Evaluate(spec v1alpha1.RecognitionCampaignSpec, initiativeName string, initiative v1alpha1.InitiativeSpec, spotlighted []string) Tally {
	var t Tally
	ofInitiative := map[string]bool{}
	for _, b := range initiative.Behaviors {
		ofInitiative[b.Name] = true
	}
	leaders := map[string]bool{}
	for _, p := range slices.Concat(initiative.Sponsors, initiative.Council) {
		leaders[p.Name] = true
	}
	published := map[string]bool{}
	for _, n := range spotlighted {
		published[n] = true
	}
	perBehavior := map[string]int32{}
	var byLeaders int32
	for _, n := range spec.Nominations {
		switch {
		case !slices.Contains(spec.Behaviors, n.Behavior):
			t.Rejected = append(t.Rejected, v1alpha1.RejectedNomination{Name: n.Name, Reason: fmt.Sprintf(
				"behavior %s is not in the campaign's spec.behaviors: add it there or fix the nomination", n.Behavior)})
			continue
		case !ofInitiative[n.Behavior]:
			t.Rejected = append(t.Rejected, v1alpha1.RejectedNomination{Name: n.Name, Reason: fmt.Sprintf(
				"behavior %s is not a behavior of Initiative %s: add it to the initiative's spec.behaviors or fix the nomination", n.Behavior, initiativeName)})
			continue
		}
		t.Qualifying++
		perBehavior[n.Behavior]++
		if leaders[n.NominatedBy] {
			byLeaders++
		}
		if published[n.Name] {
			t.Spotlighted++
		} else {
			t.Pending = append(t.Pending, n)
		}
	}
	sort.SliceStable(t.Pending, func(i, j int) bool {
		a, b := t.Pending[i], t.Pending[j]
		if a.At != b.At {
			return a.At < b.At // ISO dates sort as strings
		}
		return a.Name < b.Name
	})
	for b, c := range perBehavior {
		t.ByBehavior = append(t.ByBehavior, v1alpha1.BehaviorCount{Behavior: b, Count: c})
	}
	sort.Slice(t.ByBehavior, func(i, j int) bool { return t.ByBehavior[i].Behavior < t.ByBehavior[j].Behavior })
	if t.Qualifying > 0 {
		// Rounded half up; peers get the rest so the two always add up to 100.
		lead := (200*byLeaders + t.Qualifying) / (2 * t.Qualifying)
		peer := 100 - lead
		t.LeadershipShare, t.PeerShare = &lead, &peer
	}
	return t
}

// MaxPerSpotlight bounds how many nominations one spotlight publishes, so a
// digest fits a chat message; the rest stay pending for the next one.
const MaxPerSpotlight = 10

// Batch is what the next spotlight publishes: the oldest pending
// nominations, at most MaxPerSpotlight of them.
func Batch(pending []v1alpha1.Nomination) []v1alpha1.Nomination {
	if len(pending) > MaxPerSpotlight {
		return pending[:MaxPerSpotlight]
	}
	return pending
}

// Digest is the text of a spotlight of pending, which must be sorted as
// Evaluate sorts it. Without pending nominations it invites new ones for
// behaviors.
func Digest(pending []v1alpha1.Nomination, behaviors []string) string {
	if len(pending) == 0 {
		return fmt.Sprintf("No new nominations since the last spotlight — nominate someone who lived %s this week!", oneOf(behaviors))
	}
	var b strings.Builder
	b.WriteString(Header)
	for _, n := range pending {
		fmt.Fprintf(&b, "\n• %s — %s: %s", n.Nominee, n.Behavior, n.Story)
		if n.CustomerImpact != "" {
			fmt.Fprintf(&b, " (%s)", n.CustomerImpact)
		}
		fmt.Fprintf(&b, " — nominated by %s", n.NominatedBy)
	}
	return b.String()
}

// Names lists the names of nominations, in order, for the spotlight's
// AnnotationNominations.
func Names(noms []v1alpha1.Nomination) []string {
	out := make([]string, 0, len(noms))
	for _, n := range noms {
		out = append(out, n.Name)
	}
	return out
}

// Delivered reads the finished deliveries among jobs: the nominations the
// completed ones published, oldest delivery first, and when the newest
// completed. Failed or running Jobs published nothing.
func Delivered(jobs []batchv1.Job) (names []string, last *metav1.Time) {
	type done struct {
		job  string
		at   metav1.Time
		noms string
	}
	var completed []done
	for i := range jobs {
		j := &jobs[i]
		for _, c := range j.Status.Conditions {
			if c.Type == batchv1.JobComplete && c.Status == corev1.ConditionTrue {
				completed = append(completed, done{job: j.Name, at: c.LastTransitionTime, noms: j.Annotations[cronjobs.AnnotationNominations]})
				break
			}
		}
	}
	sort.Slice(completed, func(i, j int) bool {
		if !completed[i].at.Equal(&completed[j].at) {
			return completed[i].at.Before(&completed[j].at)
		}
		return completed[i].job < completed[j].job
	})
	for _, d := range completed {
		for _, n := range strings.Split(d.noms, ",") {
			// Only names status can hold: a hand-made Job must not break the status write.
			if n = strings.TrimSpace(n); len(validation.IsDNS1123Label(n)) == 0 {
				names = append(names, n)
			}
		}
		at := d.at
		last = &at
	}
	return names, last
}

// MarkPublished appends the names in published that spotlighted does not
// hold yet, keeping order, so it is idempotent. Past MaxSpotlighted it
// drops the oldest names no longer among current: a name still in the spec
// is never forgotten, so it is never published again.
func MarkPublished(spotlighted, published []string, current []v1alpha1.Nomination) []string {
	out := slices.Clone(spotlighted)
	have := make(map[string]bool, len(spotlighted))
	for _, n := range spotlighted {
		have[n] = true
	}
	for _, n := range published {
		if !have[n] {
			have[n] = true
			out = append(out, n)
		}
	}
	if len(out) <= MaxSpotlighted {
		if len(out) == len(spotlighted) {
			return spotlighted // unchanged: keep nil as nil for a no-op status patch
		}
		return out
	}
	inSpec := map[string]bool{}
	for _, n := range current {
		inSpec[n.Name] = true
	}
	excess := len(out) - MaxSpotlighted
	kept := make([]string, 0, MaxSpotlighted)
	for _, n := range out {
		if excess > 0 && !inSpec[n] {
			excess--
			continue
		}
		kept = append(kept, n)
	}
	return kept[max(0, len(kept)-MaxSpotlighted):]
}

// NewlyRejected returns the rejections in after whose name before lacks.
func NewlyRejected(before, after []v1alpha1.RejectedNomination) []v1alpha1.RejectedNomination {
	seen := map[string]bool{}
	for _, r := range before {
		seen[r.Name] = true
	}
	var out []v1alpha1.RejectedNomination
	for _, r := range after {
		if !seen[r.Name] {
			out = append(out, r)
		}
	}
	return out
}

func oneOf(items []string) string {
	switch len(items) {
	case 0:
		return "a behavior of the initiative"
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
