package v1alpha1

import (
	"encoding/json"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kjson "sigs.k8s.io/json"
)

// FuzzJSONRoundTrip decodes arbitrary JSON into every kind as the manager's
// cache does. Decoding never fails on an object whose identity can be read;
// whatever decodes whole re-encodes to JSON that decodes and encodes to itself.
func FuzzJSONRoundTrip(f *testing.F) {
	for _, seed := range []string{
		`{"metadata":{"name":"a"},"spec":{"why":"w","momentumWindow":"720h","stages":[{"name":"Initiation","targetDuration":"1h"}]}}`,
		`{"metadata":{"name":"a"},"spec":{"target":{"value":4.3,"atRiskMargin":1},"samples":[{"at":"2026-01-01T00:00:00Z","value":66}]}}`,
		`{"metadata":{"name":"a"},"spec":{"samples":[{"at":"2026-01-01T00:00:00ZTjunk","value":1}]}}`,
		`{"metadata":{"name":"a"},"spec":{"momentumWindow":"9999999999999h"}}`,
		`{"metadata":{"name":"a"},"status":{"value":"1e400","history":[{"at":"2026-01-01T00:00:00Z","value":0e99}]}}`,
		`{"metadata":{"name":"a"},"spec":{"type":"slack","secretRef":{"name":"s"}},"status":{"observedGeneration":9223372036854775808}}`,
		`{"metadata":{"name":"a"},"spec":{"nominations":[{"name":"n","at":"2026-11-20"}]}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, obj := range []interface {
			metav1.Object
		}{&Initiative{}, &LeadingIndicator{}, &Channel{}, &RecognitionCampaign{}, &Commitment{}, &CultureAssessment{}} {
			if err := kjson.UnmarshalCaseSensitivePreserveInts(data, obj); err != nil {
				var head struct {
					Metadata metav1.ObjectMeta `json:"metadata"`
				}
				if kjson.UnmarshalCaseSensitivePreserveInts(data, &head) == nil && head.Metadata.Name != "" {
					t.Fatalf("%T with a readable identity failed to decode: %v", obj, err)
				}
				continue
			}
			if DecodeError(obj) != "" {
				continue
			}
			again, err := json.Marshal(obj)
			if err != nil {
				t.Fatalf("%T decoded but does not encode: %v", obj, err)
			}
			back := newLike(obj)
			if err := kjson.UnmarshalCaseSensitivePreserveInts(again, back); err != nil || DecodeError(back) != "" {
				t.Fatalf("%T re-encoded as %s does not decode: %v %s", obj, again, err, DecodeError(back))
			}
			// Absent numbers encode as 0, so the first encoding may normalise;
			// from then on the encoding is a fixed point.
			twice, err := json.Marshal(back)
			if err != nil || string(twice) != string(again) {
				t.Fatalf("%T is not stable in a JSON round trip:\n%s\n%s", obj, again, twice)
			}
		}
	})
}

func newLike(obj any) metav1.Object {
	switch obj.(type) {
	case *Initiative:
		return &Initiative{}
	case *LeadingIndicator:
		return &LeadingIndicator{}
	case *Channel:
		return &Channel{}
	case *Commitment:
		return &Commitment{}
	case *CultureAssessment:
		return &CultureAssessment{}
	}
	return &RecognitionCampaign{}
}
