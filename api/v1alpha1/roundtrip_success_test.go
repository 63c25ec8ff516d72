package v1alpha1

import (
	"encoding/json"
	"math/rand"
	"strconv"
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/randfill"
)

// TestRoundTripSuccessKinds is TestRoundTrip for Commitment and CultureAssessment.
func TestRoundTripSuccessKinds(t *testing.T) {
	f := randfill.NewWithSeed(rand.Int63()).NilChance(0.2).NumElements(0, 3).Funcs(
		func(d *Decimal, c randfill.Continue) {
			*d = Decimal(strconv.FormatFloat(float64(c.Int63n(1_000_000))/100, 'f', -1, 64))
		},
		func(m *metav1.ObjectMeta, c randfill.Continue) {
			m.Name, m.Namespace, m.Generation = c.String(20), c.String(20), c.Int63()
		},
		func(t *metav1.Time, c randfill.Continue) {
			*t = metav1.Unix(c.Int63n(4_000_000_000), 0)
		},
	)
	check := func(obj, back, copied any, data []byte, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("unmarshal: %v\n%s", err, data)
		}
		if !equality.Semantic.DeepEqual(obj, back) {
			t.Fatalf("JSON round trip changed %T:\n%s", obj, data)
		}
		if !equality.Semantic.DeepEqual(obj, copied) {
			t.Fatalf("DeepCopy changed %T", obj)
		}
	}
	for range 200 {
		c := &Commitment{}
		f.Fill(c)
		data, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		cb := &Commitment{}
		check(c, cb, c.DeepCopy(), data, json.Unmarshal(data, cb))

		a := &CultureAssessment{}
		f.Fill(a)
		if data, err = json.Marshal(a); err != nil {
			t.Fatal(err)
		}
		ab := &CultureAssessment{}
		check(a, ab, a.DeepCopy(), data, json.Unmarshal(data, ab))
	}
}
