package conditions

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestFirstWriteHold(t *testing.T) {
	created := time.Date(2026, 11, 15, 9, 0, 0, 0, time.UTC)
	cases := map[string]struct {
		age     time.Duration // now - creationTimestamp
		written bool          // a Ready condition is already there
		hold    bool
	}{
		"just created":             {age: 0, hold: true},
		"within the grace":         {age: MissingGrace - time.Millisecond, hold: true},
		"the grace is over":        {age: MissingGrace},
		"written before":           {age: time.Second, written: true},
		"created ahead (skew)":     {age: -time.Second},
		"written and grace passed": {age: time.Hour, written: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			obj := &v1alpha1.LeadingIndicator{ObjectMeta: metav1.ObjectMeta{CreationTimestamp: metav1.NewTime(created)}}
			if tc.written {
				obj.Status.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: metav1.ConditionFalse}}
			}
			until, hold := FirstWriteHold(obj, obj.Status.Conditions, created.Add(tc.age), MissingGrace)
			g.Expect(hold).To(Equal(tc.hold))
			if hold {
				g.Expect(until).To(Equal(created.Add(MissingGrace)))
			}
		})
	}
}
