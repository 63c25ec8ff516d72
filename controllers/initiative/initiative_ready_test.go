package initiative

import (
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/stages"
)

func TestReadyConditionNamesTheMostPressingProblem(t *testing.T) {
	in := &v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "customer-first"}}
	paused := in.DeepCopy()
	paused.Spec.Suspend = ptr.To(true)
	cases := map[string]struct {
		// obj, out, faults and pending are what the decision sees.
		obj     *v1alpha1.Initiative
		out     stages.Outcome
		faults  faults
		pending bool
		// reason, stalled and warn are what it decides.
		reason, stalled string
		warn            bool
	}{
		"a broken template wins over everything": {obj: in, faults: faults{invalid: []string{"reminder a: bad"}, missingChannels: []string{"x"}},
			out: stages.Outcome{MissingIndicators: []string{"nps"}}, reason: v1alpha1.ReasonTemplateInvalid, stalled: v1alpha1.ReasonTemplateInvalid, warn: true},
		"a forged ledger stops everything": {obj: in, faults: faults{ledgerInvalid: "ledger too large", invalid: []string{"reminder a: bad"}},
			reason: v1alpha1.ReasonLedgerInvalid, stalled: v1alpha1.ReasonLedgerInvalid, warn: true},
		"a missing indicator":             {obj: in, out: stages.Outcome{MissingIndicators: []string{"nps"}}, reason: v1alpha1.ReasonIndicatorNotFound, warn: true},
		"a missing channel":               {obj: in, faults: faults{missingChannels: []string{"all-hands"}}, reason: v1alpha1.ReasonChannelNotFound, warn: true},
		"a channel not checked yet":       {obj: in, faults: faults{unreadyChannels: []string{"all-hands"}}, pending: true, reason: v1alpha1.ReasonChannelPending},
		"a channel that cannot deliver":   {obj: in, faults: faults{unreadyChannels: []string{"b", "a", "a"}}, reason: v1alpha1.ReasonChannelNotReady, warn: true},
		"suspended":                       {obj: paused, reason: v1alpha1.ReasonSuspended},
		"in the final stage":              {obj: in, out: stages.Outcome{Final: true, Stage: "Reinforcement"}, reason: v1alpha1.ReasonFinalStage},
		"in progress, nothing else wrong": {obj: in, out: stages.Outcome{Stage: "Initiation"}, reason: v1alpha1.ReasonStageInProgress},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			ready, stalled, warn := readyCondition(tc.obj, tc.out, tc.faults, tc.pending)
			g.Expect(ready.Reason).To(Equal(tc.reason))
			g.Expect(ready.Message).NotTo(BeEmpty())
			g.Expect(stalled).To(Equal(tc.stalled))
			g.Expect(warn).To(Equal(tc.warn))
		})
	}
}
