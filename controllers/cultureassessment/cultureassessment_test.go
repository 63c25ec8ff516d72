package cultureassessment

import (
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestDecide(t *testing.T) {
	initiative := &v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{Name: "customer-first"}}
	initiative.Spec.ConfidentialityFloor = ptr.To[int32](5)
	round := func(respondents int32) v1alpha1.AssessmentRound {
		return v1alpha1.AssessmentRound{Date: "2026-09-30", Respondents: respondents,
			Scores: []v1alpha1.DisciplineScore{{Discipline: "Listening", Score: "3.5"}}}
	}
	cases := map[string]struct {
		initiative *v1alpha1.Initiative
		rounds     []v1alpha1.AssessmentRound
		// reason is Ready's; status says whether it is True; rounds how many count.
		reason  string
		status  metav1.ConditionStatus
		counted int32
	}{
		"no initiative":                {rounds: []v1alpha1.AssessmentRound{round(9)}, reason: v1alpha1.ReasonInitiativeNotFound, status: metav1.ConditionFalse},
		"a round below the floor":      {initiative: initiative, rounds: []v1alpha1.AssessmentRound{round(4)}, reason: v1alpha1.ReasonNoRounds, status: metav1.ConditionTrue},
		"a round at the floor: scored": {initiative: initiative, rounds: []v1alpha1.AssessmentRound{round(5)}, reason: v1alpha1.ReasonAssessed, status: metav1.ConditionTrue, counted: 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			obj := &v1alpha1.CultureAssessment{ObjectMeta: metav1.ObjectMeta{Name: "q3", Namespace: "culture"}}
			obj.Spec.InitiativeRef.Name = "customer-first"
			obj.Spec.Disciplines = []v1alpha1.Discipline{{Name: "Listening", Target: "4"}}
			obj.Spec.Rounds = tc.rounds
			obj.Status.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: metav1.ConditionTrue, Reason: "Kept"}}
			obj.Status.ObservedGeneration = 7
			ready := decide(obj, tc.initiative)
			g.Expect(ready.Reason).To(Equal(tc.reason))
			g.Expect(ready.Status).To(Equal(tc.status))
			g.Expect(ready.Message).NotTo(BeEmpty())
			g.Expect(obj.Status.Rounds).To(Equal(tc.counted))
			g.Expect(obj.Status.Conditions).To(HaveLen(1), "the status contract is kept for conditions.Finish")
			g.Expect(obj.Status.ObservedGeneration).To(Equal(int64(7)))
		})
	}
}
