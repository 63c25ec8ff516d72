package v1alpha1

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kjson "sigs.k8s.io/json"
)

func TestDecodeMarksWhatItCannotRead(t *testing.T) {
	cases := map[string]struct {
		// doc is one object as the API server might return it.
		doc string
		// wantErr is a part of the decode error the object is marked with; "" means it decodes.
		wantErr string
	}{
		"valid initiative": {
			doc: `{"kind":"Initiative","metadata":{"name":"a","namespace":"x"},"spec":{"why":"w","momentumWindow":"720h"}}`,
		},
		"duration overflowing time.Duration": {
			doc:     `{"kind":"Initiative","metadata":{"name":"a","namespace":"x"},"spec":{"why":"w","momentumWindow":"9999999999999h"}}`,
			wantErr: `invalid duration`,
		},
		"timestamp with junk after the zone": {
			doc:     `{"kind":"LeadingIndicator","metadata":{"name":"a","namespace":"x"},"spec":{"samples":[{"at":"2026-01-01T00:00:00ZTjunk","value":1}]}}`,
			wantErr: `extra text`,
		},
		"offset out of range": {
			doc:     `{"kind":"LeadingIndicator","metadata":{"name":"a","namespace":"x"},"spec":{"samples":[{"at":"2026-01-01T00:00:00+25:00","value":1}]}}`,
			wantErr: `parsing time`,
		},
		"a status number that is not a decimal": {
			doc:     `{"kind":"LeadingIndicator","metadata":{"name":"a","namespace":"x"},"status":{"value":"NaN"}}`,
			wantErr: `not a finite decimal`,
		},
		"an annotation forged by a user is ignored": {
			doc: `{"kind":"Channel","metadata":{"name":"a","namespace":"x","annotations":{"culture.momentum.dev/decode-error":"forged"}},"spec":{"type":"slack","secretRef":{"name":"s"}}}`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			obj := objectFor(tc.doc)
			g.Expect(kjson.UnmarshalCaseSensitivePreserveInts([]byte(tc.doc), obj)).To(Succeed())
			meta := obj.(metav1.Object)
			g.Expect(meta.GetName()).To(Equal("a"), "the identity survives")
			got := DecodeError(meta)
			if tc.wantErr == "" {
				g.Expect(got).To(BeEmpty())
				return
			}
			g.Expect(got).To(ContainSubstring(tc.wantErr))
		})
	}
}

func objectFor(doc string) any {
	switch {
	case strings.Contains(doc, `"kind":"Initiative"`):
		return &Initiative{}
	case strings.Contains(doc, `"kind":"LeadingIndicator"`):
		return &LeadingIndicator{}
	case strings.Contains(doc, `"kind":"Channel"`):
		return &Channel{}
	}
	return &RecognitionCampaign{}
}

// TestOneBadItemDoesNotSpoilTheList is the failure that stopped the cache:
// one undecodable item made the whole list fail.
func TestOneBadItemDoesNotSpoilTheList(t *testing.T) {
	g := NewWithT(t)
	doc := `{"kind":"InitiativeList","items":[
		{"metadata":{"name":"bad","namespace":"a"},"spec":{"why":"w","momentumWindow":"9999999999999h"}},
		{"metadata":{"name":"good","namespace":"b"},"spec":{"why":"w","momentumWindow":"720h"}}]}`
	list := &InitiativeList{}
	g.Expect(kjson.UnmarshalCaseSensitivePreserveInts([]byte(doc), list)).To(Succeed())
	g.Expect(list.Items).To(HaveLen(2))
	g.Expect(DecodeError(&list.Items[0])).To(ContainSubstring("invalid duration"))
	g.Expect(list.Items[0].Spec.Why).To(BeEmpty(), "nothing of an undecodable spec is half-read")
	g.Expect(DecodeError(&list.Items[1])).To(BeEmpty())
	g.Expect(list.Items[1].Spec.MomentumWindow.Duration.Hours()).To(Equal(720.0))
}

func TestDecodeErrorIsBounded(t *testing.T) {
	g := NewWithT(t)
	doc := `{"metadata":{"name":"a"},"spec":{"why":"w","momentumWindow":"` + strings.Repeat("9", 4000) + `h"}}`
	obj := &Initiative{}
	g.Expect(kjson.UnmarshalCaseSensitivePreserveInts([]byte(doc), obj)).To(Succeed())
	g.Expect(len(DecodeError(obj))).To(BeNumerically("<=", maxDecodeErrorLength+len("…")))
}

// TestUndecodableSpecKeepsItsStatus: reporting the failure compares against
// the status the API server holds, so it is written once, not on every
// reconcile.
func TestUndecodableSpecKeepsItsStatus(t *testing.T) {
	g := NewWithT(t)
	doc := `{"metadata":{"name":"a"},"spec":{"why":"w","momentumWindow":"1x"},"status":{"stage":"Embedding","observedGeneration":3}}`
	obj := &Initiative{}
	g.Expect(kjson.UnmarshalCaseSensitivePreserveInts([]byte(doc), obj)).To(Succeed())
	g.Expect(DecodeError(obj)).NotTo(BeEmpty())
	g.Expect(obj.Status.Stage).To(Equal("Embedding"))
	g.Expect(obj.Status.ObservedGeneration).To(Equal(int64(3)))

	bad := `{"metadata":{"name":"a"},"spec":{"why":"w","momentumWindow":"1x"},"status":{"stage":"Embedding","stageEnteredAt":"junk"}}`
	obj = &Initiative{}
	g.Expect(kjson.UnmarshalCaseSensitivePreserveInts([]byte(bad), obj)).To(Succeed())
	g.Expect(obj.Status).To(Equal(InitiativeStatus{}), "a status that does not decode whole is not half-read")
}
