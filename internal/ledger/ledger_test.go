package ledger

import (
	"fmt"
	"testing"

	. "github.com/onsi/gomega"
)

func TestAdd(t *testing.T) {
	many := make([]string, MaxKeys)
	for i := range many {
		many[i] = fmt.Sprint(i)
	}
	tests := map[string]struct {
		keys, add   []string
		want        []string
		wantChanged bool
	}{
		"to an empty ledger":        {add: []string{"stage-Initiation"}, want: []string{"stage-Initiation"}, wantChanged: true},
		"a key already there":       {keys: []string{"a"}, add: []string{"a"}, want: []string{"a"}},
		"in order, each once":       {keys: []string{"a"}, add: []string{"b", "a", "b", "c"}, want: []string{"a", "b", "c"}, wantChanged: true},
		"empty and multi-line keys": {keys: []string{"a"}, add: []string{"", "x\ny"}, want: []string{"a"}},
		"full: the oldest goes":     {keys: many, add: []string{"new"}, want: append(many[1:], "new"), wantChanged: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			got, changed := Add(tc.keys, tc.add)
			g.Expect(got).To(Equal(tc.want))
			g.Expect(changed).To(Equal(tc.wantChanged))
		})
	}
}

func TestRoundTrip(t *testing.T) {
	g := NewWithT(t)
	cm := Desired("culture", Name("Initiative", "customer-first"), nil, []string{"stage-Initiation", "target-nps-1"})
	g.Expect(Keys(cm)).To(Equal([]string{"stage-Initiation", "target-nps-1"}))
	g.Expect(Keys(nil)).To(BeEmpty())
	g.Expect(cm.Name).To(HavePrefix("customer-first-ledger-"))
	g.Expect(cm.OwnerReferences).To(BeEmpty(), "the ledger outlives its owner")
}
