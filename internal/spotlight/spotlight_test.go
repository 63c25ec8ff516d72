package spotlight

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
)

var initiative = v1alpha1.InitiativeSpec{
	Sponsors:  []v1alpha1.Person{{Name: "Dana Lee"}},
	Council:   []v1alpha1.Person{{Name: "Ravi Patel"}},
	Behaviors: []v1alpha1.Behavior{{Name: "close-the-loop"}, {Name: "own-the-outcome"}, {Name: "listen-first"}},
}

func nom(name, behavior, by, at string) v1alpha1.Nomination {
	return v1alpha1.Nomination{Name: name, Nominee: "Nominee " + name, NominatedBy: by, Behavior: behavior, Story: "Story of " + name, At: at}
}

func campaign(behaviors []string, noms ...v1alpha1.Nomination) v1alpha1.RecognitionCampaignSpec {
	return v1alpha1.RecognitionCampaignSpec{Behaviors: behaviors, Nominations: noms}
}

func TestEvaluate(t *testing.T) {
	both := []string{"close-the-loop", "own-the-outcome"}
	tests := map[string]struct {
		spec        v1alpha1.RecognitionCampaignSpec
		spotlighted []string
		pending     []string
		qualifying  int32
		spotted     int32
		byBehavior  []v1alpha1.BehaviorCount
		leadership  *int32
		peer        *int32
		rejected    map[string]string // name -> substring of the reason
	}{
		"no nominations": {
			spec: campaign(both),
		},
		"pending sorted by date then name, not spec order": {
			spec:       campaign(both, nom("zoe", "close-the-loop", "Ann", "2026-11-02"), nom("bob", "close-the-loop", "Ann", "2026-11-03"), nom("amy", "own-the-outcome", "Ann", "2026-11-02")),
			pending:    []string{"amy", "zoe", "bob"},
			qualifying: 3,
			byBehavior: []v1alpha1.BehaviorCount{{Behavior: "close-the-loop", Count: 2}, {Behavior: "own-the-outcome", Count: 1}},
			leadership: ptr(0), peer: ptr(100),
		},
		"spotlighted nominations are not pending": {
			spec:        campaign(both, nom("a", "close-the-loop", "Ann", "2026-11-01"), nom("b", "close-the-loop", "Ann", "2026-11-02")),
			spotlighted: []string{"a", "removed-from-spec"},
			pending:     []string{"b"},
			qualifying:  2, spotted: 1,
			byBehavior: []v1alpha1.BehaviorCount{{Behavior: "close-the-loop", Count: 2}},
			leadership: ptr(0), peer: ptr(100),
		},
		"behavior not in the campaign is rejected": {
			spec:     campaign([]string{"close-the-loop"}, nom("a", "own-the-outcome", "Ann", "2026-11-01")),
			rejected: map[string]string{"a": "behavior own-the-outcome is not in the campaign's spec.behaviors"},
		},
		"behavior not of the initiative is rejected": {
			spec:     campaign([]string{"close-the-loop", "invent-stuff"}, nom("a", "invent-stuff", "Ann", "2026-11-01")),
			rejected: map[string]string{"a": "behavior invent-stuff is not a behavior of Initiative customer-first"},
		},
		"rejected count in no share": {
			spec: campaign(both, nom("sponsor", "close-the-loop", "Dana Lee", "2026-11-01"), nom("peer", "close-the-loop", "Sam", "2026-11-01"),
				nom("council-unknown", "unknown", "Ravi Patel", "2026-11-01")),
			pending:    []string{"peer", "sponsor"},
			qualifying: 2,
			byBehavior: []v1alpha1.BehaviorCount{{Behavior: "close-the-loop", Count: 2}},
			leadership: ptr(50), peer: ptr(50),
			rejected: map[string]string{"council-unknown": "not in the campaign's spec.behaviors"},
		},
		"shares round half up and add up to 100": {
			spec: campaign(both, nom("a", "close-the-loop", "Dana Lee", "2026-11-01"), nom("b", "close-the-loop", "Ravi Patel", "2026-11-01"),
				nom("c", "close-the-loop", "Sam", "2026-11-01")),
			pending:    []string{"a", "b", "c"},
			qualifying: 3,
			byBehavior: []v1alpha1.BehaviorCount{{Behavior: "close-the-loop", Count: 3}},
			leadership: ptr(67), peer: ptr(33),
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := Evaluate(tc.spec, "customer-first", initiative, tc.spotlighted)
			if names := Names(got.Pending); !reflect.DeepEqual(names, nonNil(tc.pending)) {
				t.Errorf("pending = %v, want %v", names, tc.pending)
			}
			if got.Qualifying != tc.qualifying || got.Spotlighted != tc.spotted {
				t.Errorf("qualifying, spotlighted = %d, %d, want %d, %d", got.Qualifying, got.Spotlighted, tc.qualifying, tc.spotted)
			}
			if !reflect.DeepEqual(got.ByBehavior, tc.byBehavior) {
				t.Errorf("byBehavior = %v, want %v", got.ByBehavior, tc.byBehavior)
			}
			if !reflect.DeepEqual(got.LeadershipShare, tc.leadership) || !reflect.DeepEqual(got.PeerShare, tc.peer) {
				t.Errorf("shares = %v, %v, want %v, %v", deref(got.LeadershipShare), deref(got.PeerShare), deref(tc.leadership), deref(tc.peer))
			}
			if len(got.Rejected) != len(tc.rejected) {
				t.Fatalf("rejected = %v, want %v", got.Rejected, tc.rejected)
			}
			for _, r := range got.Rejected {
				if want, ok := tc.rejected[r.Name]; !ok || !strings.Contains(r.Reason, want) {
					t.Errorf("rejected %s: %q, want it to contain %q", r.Name, r.Reason, want)
				}
			}
		})
	}
}

func TestDigest(t *testing.T) {
	sam := v1alpha1.Nomination{Name: "sam-renewal", Nominee: "Sam Ortiz", NominatedBy: "Priya Nair", Behavior: "close-the-loop",
		Story: "Turned a cancellation into a renewal by calling the customer the same day.", CustomerImpact: "Renewed a 40k account", At: "2026-11-20"}
	lee := v1alpha1.Nomination{Name: "lee-callback", Nominee: "Lee Chen", NominatedBy: "Dana Lee", Behavior: "own-the-outcome",
		Story: "Called back every detractor.", At: "2026-11-21"}
	tests := map[string]struct {
		pending   []v1alpha1.Nomination
		behaviors []string
		want      string
	}{
		"two nominations, impact only where given": {
			pending: []v1alpha1.Nomination{sam, lee},
			want: "Customer heroes this week\n" +
				"• Sam Ortiz — close-the-loop: Turned a cancellation into a renewal by calling the customer the same day. (Renewed a 40k account) — nominated by Priya Nair\n" +
				"• Lee Chen — own-the-outcome: Called back every detractor. — nominated by Dana Lee",
		},
		"empty with one behavior": {
			behaviors: []string{"close-the-loop"},
			want:      "No new nominations since the last spotlight — nominate someone who lived close-the-loop this week!",
		},
		"empty with three behaviors": {
			behaviors: []string{"close-the-loop", "listen-first", "own-the-outcome"},
			want:      "No new nominations since the last spotlight — nominate someone who lived close-the-loop, listen-first or own-the-outcome this week!",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := Digest(tc.pending, tc.behaviors)
			if got != tc.want {
				t.Errorf("digest:\n%s\nwant:\n%s", got, tc.want)
			}
			if again := Digest(tc.pending, tc.behaviors); again != got {
				t.Errorf("digest is not deterministic")
			}
		})
	}
}

func TestDigestIsIndependentOfSpecOrder(t *testing.T) {
	a, b, c := nom("a", "close-the-loop", "Ann", "2026-11-03"), nom("b", "close-the-loop", "Ann", "2026-11-01"), nom("c", "own-the-outcome", "Ann", "2026-11-01")
	want := Digest(Evaluate(campaign([]string{"close-the-loop", "own-the-outcome"}, a, b, c), "x", initiative, nil).Pending, nil)
	got := Digest(Evaluate(campaign([]string{"own-the-outcome", "close-the-loop"}, c, a, b), "x", initiative, nil).Pending, nil)
	if got != want {
		t.Errorf("digest depends on spec order:\n%s\nvs\n%s", got, want)
	}
}

func job(name, noms string, cond batchv1.JobConditionType, at time.Time) batchv1.Job {
	j := batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: name, Annotations: map[string]string{cronjobs.AnnotationNominations: noms}}}
	if cond != "" {
		j.Status.Conditions = []batchv1.JobCondition{{Type: cond, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(at)}}
	}
	return j
}

func TestDelivered(t *testing.T) {
	t1 := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	t2 := t1.Add(7 * 24 * time.Hour)
	tests := map[string]struct {
		jobs  []batchv1.Job
		names []string
		last  *time.Time
	}{
		"no jobs": {},
		"running and failed jobs publish nothing": {
			jobs: []batchv1.Job{job("running", "a", "", t1), job("failed", "b", batchv1.JobFailed, t1)},
		},
		"completed jobs oldest first": {
			jobs:  []batchv1.Job{job("second", "c", batchv1.JobComplete, t2), job("first", "a,b", batchv1.JobComplete, t1)},
			names: []string{"a", "b", "c"},
			last:  &t2,
		},
		"empty digest publishes no names but counts as a publication": {
			jobs: []batchv1.Job{job("empty", "", batchv1.JobComplete, t1)},
			last: &t1,
		},
		"names status cannot hold are ignored": {
			jobs:  []batchv1.Job{job("odd", "Not A Name, ok ,"+strings.Repeat("x", 64), batchv1.JobComplete, t1)},
			names: []string{"ok"},
			last:  &t1,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			names, last := Delivered(tc.jobs)
			if !reflect.DeepEqual(names, tc.names) {
				t.Errorf("names = %v, want %v", names, tc.names)
			}
			switch {
			case tc.last == nil && last != nil:
				t.Errorf("last = %v, want none", last)
			case tc.last != nil && (last == nil || !last.Time.Equal(*tc.last)):
				t.Errorf("last = %v, want %v", last, tc.last)
			}
		})
	}
}

func TestMarkPublished(t *testing.T) {
	spec := func(names ...string) []v1alpha1.Nomination {
		var out []v1alpha1.Nomination
		for _, n := range names {
			out = append(out, v1alpha1.Nomination{Name: n})
		}
		return out
	}
	many := func(prefix string, n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("%s-%03d", prefix, i))
		}
		return out
	}
	tests := map[string]struct {
		spotlighted, published []string
		current                []v1alpha1.Nomination
		want                   []string
	}{
		"nothing published keeps nil":       {want: nil},
		"appends in order":                  {spotlighted: []string{"a"}, published: []string{"c", "b"}, want: []string{"a", "c", "b"}},
		"idempotent":                        {spotlighted: []string{"a", "b"}, published: []string{"b", "a", "b"}, want: []string{"a", "b"}},
		"names removed from spec are kept":  {spotlighted: []string{"gone"}, published: []string{"a"}, current: spec("a"), want: []string{"gone", "a"}},
		"duplicates within one publication": {published: []string{"a", "a"}, want: []string{"a"}},
		"past the bound the oldest names no longer in spec go first": {
			spotlighted: append(many("old", 150), many("cur", 50)...),
			published:   []string{"new-1", "new-2"},
			current:     append(spec(many("cur", 50)...), spec("old-001", "new-1", "new-2")...),
			want:        append(append(append([]string{"old-001"}, many("old", 150)[3:]...), many("cur", 50)...), "new-1", "new-2"),
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := MarkPublished(tc.spotlighted, tc.published, tc.current)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v\nwant %v", got, tc.want)
			}
			if again := MarkPublished(got, tc.published, tc.current); !reflect.DeepEqual(again, got) {
				t.Errorf("marking twice changed the list: %v", again)
			}
			if len(got) > MaxSpotlighted {
				t.Errorf("%d names exceed the bound", len(got))
			}
		})
	}
}

func TestNewlyRejected(t *testing.T) {
	r := func(names ...string) []v1alpha1.RejectedNomination {
		var out []v1alpha1.RejectedNomination
		for _, n := range names {
			out = append(out, v1alpha1.RejectedNomination{Name: n, Reason: "x"})
		}
		return out
	}
	tests := map[string]struct {
		before, after []v1alpha1.RejectedNomination
		want          []string
	}{
		"first rejection":       {after: r("a"), want: []string{"a"}},
		"set grows by one":      {before: r("a"), after: r("a", "b"), want: []string{"b"}},
		"same set":              {before: r("a", "b"), after: r("b", "a")},
		"set shrinks":           {before: r("a", "b"), after: r("a")},
		"rejected again later":  {before: r("b"), after: r("a"), want: []string{"a"}},
		"nothing rejected ever": {},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := NewlyRejected(tc.before, tc.after)
			var names []string
			for _, x := range got {
				names = append(names, x.Name)
			}
			if !reflect.DeepEqual(names, tc.want) {
				t.Errorf("got %v, want %v", names, tc.want)
			}
		})
	}
}

func ptr(v int32) *int32 { return &v }

func deref(p *int32) any {
	if p == nil {
		return nil
	}
	return *p
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestBatchCarriesOverBeyondTheCap(t *testing.T) {
	var pending []v1alpha1.Nomination
	for i := 0; i < MaxPerSpotlight+3; i++ {
		pending = append(pending, v1alpha1.Nomination{Name: fmt.Sprintf("n-%02d", i)})
	}
	batch := Batch(pending)
	if len(batch) != MaxPerSpotlight || batch[0].Name != "n-00" || batch[MaxPerSpotlight-1].Name != fmt.Sprintf("n-%02d", MaxPerSpotlight-1) {
		t.Fatalf("Batch = %d nominations from %s, want the oldest %d", len(batch), batch[0].Name, MaxPerSpotlight)
	}
	// Once the batch is published, the next batch is exactly the rest.
	published := MarkPublished(nil, Names(batch), pending)
	var rest []v1alpha1.Nomination
	for _, n := range pending {
		if !slices.Contains(published, n.Name) {
			rest = append(rest, n)
		}
	}
	if got := Batch(rest); len(got) != 3 || got[0].Name == batch[0].Name {
		t.Fatalf("next batch = %v, want the 3 carried over", Names(got))
	}
	if len(Batch(nil)) != 0 {
		t.Error("an empty pending list has an empty batch")
	}
}
