package initiative

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
)

func TestHoldFirstWrite(t *testing.T) {
	created := time.Date(2026, 11, 15, 9, 0, 0, 0, time.UTC)
	ready := []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: metav1.ConditionTrue}}
	judgedInd := func(name string) *v1alpha1.LeadingIndicator {
		ind := &v1alpha1.LeadingIndicator{ObjectMeta: metav1.ObjectMeta{Name: name, Generation: 1}}
		ind.Status.ObservedGeneration, ind.Status.Conditions = 1, ready
		return ind
	}
	newInd := func(name string) *v1alpha1.LeadingIndicator {
		return &v1alpha1.LeadingIndicator{ObjectMeta: metav1.ObjectMeta{Name: name, Generation: 1}}
	}
	cases := map[string]struct {
		age     time.Duration                         // now - creationTimestamp
		written bool                                  // the initiative already has a Ready condition
		gate    map[string]*v1alpha1.LeadingIndicator // the gate indicators found
		own     []*v1alpha1.LeadingIndicator          // the indicators that belong to it
		hold    bool
		until   time.Duration // when the hold ends, after the creation
	}{
		"a gate indicator is missing":       {age: time.Second, gate: map[string]*v1alpha1.LeadingIndicator{"a": judgedInd("a")}, hold: true, until: conditions.MissingGrace},
		"missing, the grace is over":        {age: conditions.MissingGrace, gate: map[string]*v1alpha1.LeadingIndicator{"a": newInd("a")}}, // a missing one ends the wait for the others
		"a gate indicator is not judged":    {age: conditions.MissingGrace, gate: map[string]*v1alpha1.LeadingIndicator{"a": judgedInd("a"), "b": newInd("b")}, hold: true, until: conditions.UnjudgedGrace},
		"not judged, the grace is over":     {age: conditions.UnjudgedGrace, gate: map[string]*v1alpha1.LeadingIndicator{"a": judgedInd("a"), "b": newInd("b")}},
		"missing and not judged, both over": {age: conditions.UnjudgedGrace, gate: map[string]*v1alpha1.LeadingIndicator{"b": newInd("b")}},
		"an own indicator is not judged":    {age: time.Second, gate: map[string]*v1alpha1.LeadingIndicator{"a": judgedInd("a"), "b": judgedInd("b")}, own: []*v1alpha1.LeadingIndicator{newInd("c")}, hold: true, until: conditions.UnjudgedGrace},
		"every indicator is judged":         {age: time.Second, gate: map[string]*v1alpha1.LeadingIndicator{"a": judgedInd("a"), "b": judgedInd("b")}, own: []*v1alpha1.LeadingIndicator{judgedInd("c")}},
		"status was written before":         {age: time.Second, written: true, gate: map[string]*v1alpha1.LeadingIndicator{}},
		"the creation time is ahead (skew)": {age: -time.Second, gate: map[string]*v1alpha1.LeadingIndicator{}},
		"just created, nothing there yet":   {age: 0, gate: map[string]*v1alpha1.LeadingIndicator{}, hold: true, until: conditions.MissingGrace},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			obj := &v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{Name: "p", CreationTimestamp: metav1.NewTime(created)}}
			obj.Spec.Stages = []v1alpha1.Stage{{Name: "Initiation", ExitCriteria: &v1alpha1.ExitCriteria{
				Indicators: []v1alpha1.IndicatorCriterion{{Name: "a"}, {Name: "b"}},
			}}}
			if tc.written {
				obj.Status.Conditions = ready
			}
			var own []v1alpha1.LeadingIndicator
			for _, ind := range tc.own {
				own = append(own, *ind)
			}
			until, hold := holdFirstWrite(obj, tc.gate, own, created.Add(tc.age))
			g.Expect(hold).To(Equal(tc.hold))
			if hold {
				g.Expect(until).To(Equal(created.Add(tc.until)))
			}
		})
	}
}
