package initiative

import (
	"testing"

	. "github.com/onsi/gomega"
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/ledger"
)

func TestUnknownWins(t *testing.T) {
	obj := fixture() // UID u1
	tests := map[string]struct {
		// keys are the ledger's.
		keys []string
		want []string
	}{
		"an empty ledger":                    {},
		"this initiative's claims: its Jobs": {keys: []string{"claim/u1/stage-Initiation"}},
		"an earlier initiative's, unsettled": {keys: []string{"claim/u0/target-nps-1", "claim/u0/stage-Initiation"}, want: []string{"stage-Initiation", "target-nps-1"}},
		"settled but not pruned: known":      {keys: []string{"claim/u0/stage-Initiation", "stage-Initiation", "claim/u0/target-nps-1", "held/target-nps-1"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			g.Expect(unknownWins(obj, tc.keys)).To(Equal(tc.want))
			g.Expect(winsUnknown(obj, tc.want)).To(HaveLen(min(len(tc.want), 1)))
		})
	}
}

func TestCelebrationLedger(t *testing.T) {
	obj := fixture()
	win := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{cronjobs.AnnotationWin: "stage-Initiation"}}}
	tests := map[string]struct {
		plan celebrationPlan
		want ledger.Change
	}{
		"nothing to do": {want: ledger.Change{Owner: "u1"}},
		"a new win is claimed before its Job": {
			plan: celebrationPlan{jobs: []*batchv1.Job{win}},
			want: ledger.Change{Owner: "u1", Claim: []string{"stage-Initiation"}},
		},
		"delivered, given up and unknown settle their claims": {
			plan: celebrationPlan{unknown: []string{"target-csat-1"},
				deliveries: deliveryPlan{delivered: []string{"stage-Initiation"}, gaveUp: map[string]string{"target-nps-1": "failed"}}},
			want: ledger.Change{Owner: "u1", Record: []string{"stage-Initiation", "held/target-nps-1", "held/target-csat-1"},
				Settle: []string{"stage-Initiation", "target-nps-1", "target-csat-1"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			got := celebrationLedger(obj, tc.plan)
			g.Expect(got.Rank).NotTo(BeNil())
			got.Rank = nil
			g.Expect(got).To(Equal(tc.want))
		})
	}
}

func TestEvictionRank(t *testing.T) {
	obj := fixture()
	obj.Spec.Stages = []v1alpha1.Stage{{Name: "Initiation"}}
	rank := evictionRank(obj)
	tests := map[string]ledger.Rank{
		"stage-Initiation":      ledger.Kept,
		"held/stage-Initiation": ledger.Kept,
		"stage-Gone":            ledger.Ordinary,
		"target-nps-1":          ledger.Ordinary,
		"held/target-nps-1":     ledger.Ordinary,
	}
	for key, want := range tests {
		t.Run(key, func(t *testing.T) {
			NewWithT(t).Expect(rank(key)).To(Equal(want))
		})
	}
}
