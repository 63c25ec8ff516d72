package waitfor

import (
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestParse(t *testing.T) {
	cases := map[string]struct {
		in   string
		want Target
		err  bool
	}{
		"ready":           {in: "ready", want: Target{Kind: "ready"}},
		"stage":           {in: "stage=Embedding", want: Target{Kind: "stage", Name: "Embedding"}},
		"gate":            {in: "gate=publish-why", want: Target{Kind: "gate", Name: "publish-why"}},
		"empty stage":     {in: "stage=", err: true},
		"ready with name": {in: "ready=x", err: true},
		"unknown":         {in: "condition=Ready", err: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			got, err := Parse(tc.in)
			if tc.err {
				g.Expect(err).To(HaveOccurred())
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(got).To(Equal(tc.want))
		})
	}
}

func initiative(mutate func(*v1alpha1.Initiative)) *v1alpha1.Initiative {
	it := &v1alpha1.Initiative{
		ObjectMeta: metav1.ObjectMeta{Name: "customer-first", Generation: 2},
		Spec: v1alpha1.InitiativeSpec{Stages: []v1alpha1.Stage{
			{Name: "Initiation", ExitCriteria: &v1alpha1.ExitCriteria{Actions: []v1alpha1.Action{{Name: "publish-why", Done: true}}}},
			{Name: "Implementation", ExitCriteria: &v1alpha1.ExitCriteria{Actions: []v1alpha1.Action{{Name: "train-leaders"}}}},
			{Name: "Embedding"},
		}},
		Status: v1alpha1.InitiativeStatus{
			ObservedGeneration: 2, Stage: "Implementation",
			Conditions: []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: metav1.ConditionTrue, Message: "in stage Implementation"}},
			History: []v1alpha1.StageRecord{
				{Name: "Initiation", ExitedAt: &metav1.Time{}, Reason: "every exit criterion met"},
				{Name: "Implementation"},
			},
			Gates: []v1alpha1.GateStatus{{Kind: v1alpha1.GateAction, Name: "train-leaders", Message: "action train-leaders is not done yet"}},
		},
	}
	if mutate != nil {
		mutate(it)
	}
	return it
}

func TestEvaluate(t *testing.T) {
	stalled := func(it *v1alpha1.Initiative) {
		it.Status.Conditions = append(it.Status.Conditions, metav1.Condition{Type: v1alpha1.ConditionStalled, Status: metav1.ConditionTrue, Reason: v1alpha1.ReasonStageNotFound, Message: "stage gone"})
	}
	cases := map[string]struct {
		it      *v1alpha1.Initiative
		for_    string
		reached bool // the wait is over, successfully
		failed  bool // the wait is over, unsuccessfully
	}{
		"ready":                         {it: initiative(nil), for_: "ready", reached: true},
		"ready but stale status":        {it: initiative(func(it *v1alpha1.Initiative) { it.Generation = 3 }), for_: "ready"},
		"not ready":                     {it: initiative(func(it *v1alpha1.Initiative) { it.Status.Conditions[0].Status = metav1.ConditionFalse }), for_: "ready"},
		"current stage":                 {it: initiative(nil), for_: "stage=Implementation", reached: true},
		"passed stage":                  {it: initiative(nil), for_: "stage=Initiation", reached: true},
		"upcoming stage":                {it: initiative(nil), for_: "stage=Embedding"},
		"no such stage":                 {it: initiative(nil), for_: "stage=Launch", failed: true},
		"stalled":                       {it: initiative(stalled), for_: "stage=Embedding", failed: true},
		"unmet gate":                    {it: initiative(nil), for_: "gate=train-leaders"},
		"met gate":                      {it: initiative(func(it *v1alpha1.Initiative) { it.Status.Gates[0].Met = true }), for_: "gate=train-leaders", reached: true},
		"gate of a passed stage":        {it: initiative(nil), for_: "gate=publish-why", reached: true},
		"approval gate of passed stage": {it: initiative(nil), for_: "gate=Initiation", reached: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			target, err := Parse(tc.for_)
			g.Expect(err).NotTo(HaveOccurred())
			got := Evaluate(tc.it, target)
			g.Expect(got.Reached).To(Equal(tc.reached), got.Message)
			g.Expect(got.Failed).To(Equal(tc.failed), got.Message)
			g.Expect(got.Message).NotTo(BeEmpty())
		})
	}
}

func TestBlocking(t *testing.T) {
	g := NewWithT(t)
	g.Expect(Blocking(initiative(nil))).To(Equal([]string{"Action train-leaders: action train-leaders is not done yet"}))
}
