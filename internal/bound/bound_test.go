package bound

import (
	"strings"
	"testing"
	"unicode/utf8"

	. "github.com/onsi/gomega"
)

func TestText(t *testing.T) {
	cases := map[string]struct {
		in   string
		max  int
		want string
	}{
		"short text is kept":          {in: "hello", max: 10, want: "hello"},
		"exactly the limit is kept":   {in: "hello", max: 5, want: "hello"},
		"long text is cut and marked": {in: "hello world", max: 8, want: "hello" + Marker},
		"a rune is never split":       {in: "ééééé", max: 8, want: "éé" + Marker},
		"a limit below the marker":    {in: "hello", max: 1, want: ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			got := Text(tc.in, tc.max)
			g.Expect(got).To(Equal(tc.want))
			g.Expect(utf8.ValidString(got)).To(BeTrue())
		})
	}
}

func TestTextNeverExceedsTheLimit(t *testing.T) {
	g := NewWithT(t)
	for _, s := range []string{strings.Repeat("a", 5000), strings.Repeat("€", 5000), strings.Repeat("a€", 5000)} {
		for _, max := range []int{EventNote, ConditionMessage, 3, 4, 100} {
			got := Text(s, max)
			g.Expect(len(got)).To(BeNumerically("<=", max), "max %d", max)
			g.Expect(utf8.ValidString(got)).To(BeTrue())
		}
	}
}

func TestNewest(t *testing.T) {
	cases := map[string]struct {
		in   []int
		n    int
		want []int
	}{
		"under the bound":   {in: []int{1, 2}, n: 3, want: []int{1, 2}},
		"at the bound":      {in: []int{1, 2, 3}, n: 3, want: []int{1, 2, 3}},
		"over: oldest drop": {in: []int{1, 2, 3, 4, 5}, n: 3, want: []int{3, 4, 5}},
		"zero bound":        {in: []int{1}, n: 0, want: []int{}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(Newest(tc.in, tc.n)).To(Equal(tc.want))
		})
	}
}
