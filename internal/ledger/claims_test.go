package ledger

import (
	"fmt"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/types"
)

func TestApply(t *testing.T) {
	full := make([]string, MaxKeys)
	for i := range full {
		full[i] = fmt.Sprint(i)
	}
	tests := map[string]struct {
		keys        []string
		change      Change
		want        []string
		wantChanged bool
	}{
		"a claim before its Job": {
			change: Change{Owner: "u1", Claim: []string{"ana"}},
			want:   []string{"claim/u1/ana"}, wantChanged: true,
		},
		"claimed again: no write": {
			keys:   []string{"claim/u1/ana"},
			change: Change{Owner: "u1", Claim: []string{"ana"}},
			want:   []string{"claim/u1/ana"},
		},
		"the outcome prunes every owner's claim": {
			keys:   []string{"claim/u0/ana", "claim/u1/ana", "claim/u1/sam"},
			change: Change{Record: []string{"nomination/ana"}, Settle: []string{"ana"}},
			want:   []string{"claim/u1/sam", "nomination/ana"}, wantChanged: true,
		},
		"settled in the same write: not claimed": {
			change: Change{Owner: "u1", Claim: []string{"ana"}, Settle: []string{"ana"}, Record: []string{"held/ana"}},
			want:   []string{"held/ana"}, wantChanged: true,
		},
		"full: expired keys go first, kept keys never": {
			keys: append([]string{"held/kept", "digest/old"}, full[2:]...),
			change: Change{Record: []string{"new", "newer"}, Rank: func(k string) Rank {
				switch k {
				case "held/kept":
					return Kept
				case "digest/old":
					return Expired
				}
				return Ordinary
			}},
			want: append(append([]string{"held/kept"}, full[3:]...), "new", "newer"), wantChanged: true,
		},
		"full: outcomes go, claims stay": {
			keys:   append([]string{"claim/u1/ana"}, full[1:]...),
			change: Change{Record: []string{"new"}},
			want:   append(append([]string{"claim/u1/ana"}, full[2:]...), "new"), wantChanged: true,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			got, changed := Apply(tc.keys, tc.change)
			g.Expect(got).To(Equal(tc.want))
			g.Expect(changed).To(Equal(tc.wantChanged))
		})
	}
}

func TestOrphaned(t *testing.T) {
	tests := map[string]struct {
		keys  []string
		owner types.UID
		want  []string
	}{
		"no claims":                     {keys: []string{"nomination/ana"}, owner: "u1"},
		"the owner's own claims":        {keys: []string{"claim/u1/ana"}, owner: "u1"},
		"an earlier owner's, each once": {keys: []string{"claim/u0/sam", "claim/u0/ana", "claim/u9/ana", "claim/u1/kim"}, owner: "u1", want: []string{"ana", "sam"}},
		"malformed claims are ignored":  {keys: []string{"claim/", "claim/u0", "claim//ana", "claim/u0/"}, owner: "u1"},
		"an item with a slash":          {keys: []string{"claim/u0/stage-a/b"}, owner: "u1", want: []string{"stage-a/b"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			g.Expect(Orphaned(tc.keys, tc.owner)).To(Equal(tc.want))
		})
	}
}
