package text

import (
	"testing"

	. "github.com/onsi/gomega"
)

func TestPlural(t *testing.T) {
	tests := map[string]struct {
		n    int
		want string
	}{
		"none": {n: 0, want: "0 indicators"},
		"one":  {n: 1, want: "1 indicator"},
		"many": {n: 3, want: "3 indicators"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(Plural(tc.n, "indicator")).To(Equal(tc.want))
		})
	}
}
