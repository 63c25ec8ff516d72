package v1alpha1

import (
	"encoding/json"
	"math/rand"
	"strconv"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/randfill"
)

// TestRoundTrip fills every API type with random values and checks that
// JSON encoding and decoding, and DeepCopy, lose nothing.
func TestRoundTrip(t *testing.T) {
	f := randfill.NewWithSeed(rand.Int63()).NilChance(0.2).NumElements(0, 3).Funcs(
		func(d *Decimal, c randfill.Continue) {
			*d = Decimal(strconv.FormatFloat(float64(c.Int63n(1_000_000))/100, 'f', -1, 64))
		},
		// Metadata is apimachinery's, not ours: only what we read.
		func(m *metav1.ObjectMeta, c randfill.Continue) {
			m.Name, m.Namespace, m.Generation = c.String(20), c.String(20), c.Int63()
		},
		// The API's times have second precision.
		func(t *metav1.Time, c randfill.Continue) {
			*t = metav1.Unix(c.Int63n(4_000_000_000), 0)
		},
		func(d *metav1.Duration, c randfill.Continue) {
			d.Duration = time.Duration(c.Int63n(1_000_000)) * time.Second
		},
	)
	for i := 0; i < 200; i++ {
		for _, obj := range []any{&Initiative{}, &LeadingIndicator{}, &Channel{}, &RecognitionCampaign{}} {
			f.Fill(obj)
			data, err := json.Marshal(obj)
			if err != nil {
				t.Fatalf("marshal: %v", err)
			}
			var back any
			var copied any
			switch o := obj.(type) {
			case *Initiative:
				b := &Initiative{}
				err, back, copied = json.Unmarshal(data, b), b, o.DeepCopy()
			case *LeadingIndicator:
				b := &LeadingIndicator{}
				err, back, copied = json.Unmarshal(data, b), b, o.DeepCopy()
			case *Channel:
				b := &Channel{}
				err, back, copied = json.Unmarshal(data, b), b, o.DeepCopy()
			case *RecognitionCampaign:
				b := &RecognitionCampaign{}
				err, back, copied = json.Unmarshal(data, b), b, o.DeepCopy()
			}
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
	}
}
