package ledger

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
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

// A ledger sits in the tenant's namespace: one Momentum cannot have written
// is reported, never read in full and never read as empty.
func TestKeysBounded(t *testing.T) {
	lines := func(n int) string { return strings.Repeat("nomination/x\n", n) }
	tests := map[string]struct {
		data        string
		annotations map[string]string
		wantKeys    int
		wantInvalid string
	}{
		"within bounds":                {data: lines(maxReadKeys), wantKeys: maxReadKeys},
		"too many keys":                {data: lines(maxReadKeys + 1), wantInvalid: "keys"},
		"too many bytes":               {data: strings.Repeat("x", MaxBytes+1), wantInvalid: "bytes"},
		"marked oversize by the cache": {annotations: map[string]string{OversizeAnnotation: TooLarge}, wantInvalid: "bytes"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "c-ledger-1", Annotations: tc.annotations},
				Data: map[string]string{DataKey: tc.data}}
			keys, err := Keys(cm)
			if tc.wantInvalid == "" {
				g.Expect(err).NotTo(HaveOccurred())
				g.Expect(keys).To(HaveLen(tc.wantKeys))
				return
			}
			var inv *Invalid
			g.Expect(errors.As(err, &inv)).To(BeTrue())
			g.Expect(err.Error()).To(And(ContainSubstring("c-ledger-1"), ContainSubstring(tc.wantInvalid), ContainSubstring("nothing is delivered")))
			g.Expect(keys).To(BeNil())
		})
	}
}
