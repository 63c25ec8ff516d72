package conditions

import (
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestOwnWrites(t *testing.T) {
	at := func(uid, rv string) *v1alpha1.Initiative {
		return &v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{UID: types.UID(uid), ResourceVersion: rv}}
	}
	cases := map[string]struct {
		wrote []*v1alpha1.Initiative // the versions own writes replaced, in order
		read  *v1alpha1.Initiative   // what the cache returns
		stale bool
	}{
		"nothing written":                  {read: at("a", "1")},
		"the cache has not seen the write": {wrote: []*v1alpha1.Initiative{at("a", "1")}, read: at("a", "1"), stale: true},
		"the cache has seen the write":     {wrote: []*v1alpha1.Initiative{at("a", "1")}, read: at("a", "2")},
		"another object was written":       {wrote: []*v1alpha1.Initiative{at("b", "1")}, read: at("a", "1")},
		"the latest write counts":          {wrote: []*v1alpha1.Initiative{at("a", "1"), at("a", "2")}, read: at("a", "2"), stale: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			w := &OwnWrites{}
			for _, o := range tc.wrote {
				w.Wrote(o)
			}
			g.Expect(w.Stale(tc.read)).To(Equal(tc.stale))
		})
	}
}

func TestOwnWritesForgetsOnceCaughtUp(t *testing.T) {
	g := NewWithT(t)
	w := &OwnWrites{}
	w.Wrote(&v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{UID: "a", ResourceVersion: "1"}})
	g.Expect(w.Stale(&v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{UID: "a", ResourceVersion: "2"}})).To(BeFalse())
	g.Expect(w.replaced).To(BeEmpty())
	var none *OwnWrites
	none.Wrote(&v1alpha1.Initiative{})
	g.Expect(none.Stale(&v1alpha1.Initiative{})).To(BeFalse())
}
