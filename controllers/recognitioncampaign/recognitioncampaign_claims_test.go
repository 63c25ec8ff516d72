package recognitioncampaign

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/ledger"
)

func TestUnknownOutcomes(t *testing.T) {
	obj := testCampaign() // UID u1
	tests := map[string]struct {
		// keys are the ledger's.
		keys []string
		want []string
	}{
		"an empty ledger":                       {},
		"this campaign's claims: its own Jobs":  {keys: []string{"claim/u1/ana"}},
		"an earlier campaign's unsettled claim": {keys: []string{"claim/u0/sam", "claim/u0/ana"}, want: []string{"ana", "sam"}},
		"settled but not pruned: known":         {keys: []string{"claim/u0/ana", "nomination/ana", "claim/u0/sam", "held/sam"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			g.Expect(unknownOutcomes(obj, tc.keys)).To(Equal(tc.want))
			g.Expect(outcomeUnknown(obj, tc.want)).To(HaveLen(min(len(tc.want), 1)))
		})
	}
}

func TestLedgerChange(t *testing.T) {
	obj := testCampaign()
	running := digestAttempt(obj, planTick, 1, "ana,sam", "", "")
	tests := map[string]struct {
		d    decision
		want ledger.Change
	}{
		"nothing to do": {want: ledger.Change{Owner: "u1"}},
		"a new digest claims its nominations": {
			d:    decision{create: []*batchv1.Job{&running}},
			want: ledger.Change{Owner: "u1", Claim: []string{"ana", "sam"}},
		},
		"outcomes settle their claims": {
			d: decision{record: []string{"digest/t", "nomination/ana", "gaveup/u", "held/sam"}},
			want: ledger.Change{Owner: "u1", Record: []string{"digest/t", "nomination/ana", "gaveup/u", "held/sam"},
				Settle: []string{"ana", "sam"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			got := ledgerChange(obj, tc.d)
			g.Expect(got.Rank).NotTo(BeNil())
			got.Rank = nil
			g.Expect(got).To(Equal(tc.want))
		})
	}
}

func TestEvictionRank(t *testing.T) {
	obj := testCampaign()
	obj.Spec.Nominations = []v1alpha1.Nomination{{Name: "ana"}}
	rank := evictionRank(obj, t0)
	old, recent := tickKey(t0.Add(-digestKeyLife-time.Minute)), tickKey(t0.Add(-digestKeyLife+time.Minute))
	tests := map[string]ledger.Rank{
		"nomination/ana":     ledger.Kept,
		"held/ana":           ledger.Kept,
		"nomination/gone":    ledger.Ordinary,
		"held/gone":          ledger.Ordinary,
		"digest/" + old:      ledger.Expired,
		"gaveup/" + old:      ledger.Expired,
		"digest/" + recent:   ledger.Ordinary,
		"gaveup/" + recent:   ledger.Ordinary,
		"digest/not-a-time":  ledger.Ordinary,
		"something-else/ana": ledger.Ordinary,
	}
	for key, want := range tests {
		t.Run(key, func(t *testing.T) {
			NewWithT(t).Expect(rank(key)).To(Equal(want))
		})
	}
}
