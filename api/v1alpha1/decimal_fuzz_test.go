package v1alpha1

import (
	"encoding/json"
	"math"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

func TestDecimalBounds(t *testing.T) {
	tests := map[string]struct {
		in      string
		wantErr string // "" means valid
	}{
		"a huge exponent on zero":           {in: "0e99999999", wantErr: "exponent beyond ±400"},
		"a huge negative exponent":          {in: "1e-99999999", wantErr: "exponent beyond ±400"},
		"an exponent that overflows int":    {in: "1e99999999999999999999999", wantErr: "exponent beyond ±400"},
		"exponent 401":                      {in: "0.001e401", wantErr: "exponent beyond ±400"},
		"exponent 400":                      {in: "0e400"},
		"exponent -400 (underflows to 0)":   {in: "1e-400"},
		"exponent with plus and zeros":      {in: "1E+0000300"},
		"64 characters":                     {in: "1." + strings.Repeat("5", 62)},
		"65 characters":                     {in: "1." + strings.Repeat("5", 63), wantErr: "a number of 65 characters is longer than 64"},
		"a megabyte of digits":              {in: strings.Repeat("9", 1<<20), wantErr: "longer than 64"},
		"the longest float64 the API sends": {in: "-2.2250738585072014e-308"},
		"the largest float64":               {in: "1.7976931348623157e+308"},
		"the smallest subnormal":            {in: "5e-324"},
		"int64 minimum":                     {in: "-9223372036854775808"},
		"beyond float64":                    {in: "2e308", wantErr: "not a finite decimal"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			err := Decimal(tc.in).Validate()
			if tc.wantErr == "" {
				g.Expect(err).NotTo(HaveOccurred())
				return
			}
			g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
			g.Expect(len(err.Error())).To(BeNumerically("<", 200), "the error does not repeat a huge value")
			g.Expect(Decimal(tc.in).Rat().Sign()).To(BeZero(), "an invalid value is 0")
		})
	}
}

func TestNewDecimalStaysWithinTheBounds(t *testing.T) {
	tests := map[string]struct {
		in   float64
		want Decimal
	}{
		"plain":                 {in: 66.5, want: "66.5"},
		"a million stays plain": {in: 1e6, want: "1000000"},
		"tiny":                  {in: 5e-324, want: "5e-324"},
		"huge":                  {in: math.MaxFloat64, want: "1.7976931348623157e+308"},
		"negative tiny":         {in: -1.5e-100, want: "-1.5e-100"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			g.Expect(NewDecimal(tc.in)).To(Equal(tc.want))
			g.Expect(NewDecimal(tc.in).Validate()).To(Succeed())
		})
	}
}

// FuzzDecimal checks any text as a Decimal: a valid one round-trips through
// JSON exactly (as a number and as a string), agrees with ParseFloat, and
// converts to big.Rat within a small allocation and time budget; an
// invalid one is refused by UnmarshalJSON and MarshalJSON alike.
func FuzzDecimal(f *testing.F) {
	for _, seed := range []string{"66", "4.3", "-12.5", "1e2", "0e99999999", "1e-400", "5e-324", "+5", ".5", "0x1p-2", "NaN", "1e400"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := Decimal(s)
		valid := d.Validate() == nil
		quoted, _ := json.Marshal(s)
		var fromString Decimal
		if err := fromString.UnmarshalJSON(quoted); (err == nil) != valid {
			t.Fatalf("UnmarshalJSON(%s) = %v, Validate valid=%v", quoted, err, valid)
		}
		out, err := d.MarshalJSON()
		if s != "" && (err == nil) != valid {
			t.Fatalf("MarshalJSON(%q) = %v, Validate valid=%v", s, err, valid)
		}
		if !valid {
			return
		}
		var back Decimal
		if string(out) != s || back.UnmarshalJSON(out) != nil || back != d || fromString != d {
			t.Fatalf("%q does not round-trip: %s, %q, %q", s, out, back, fromString)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		r := d.Rat()
		elapsed := time.Since(start)
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<10 || elapsed > 100*time.Millisecond {
			t.Fatalf("Rat(%q) allocated %d bytes in %s", s, alloc, elapsed)
		}
		want, _ := strconv.ParseFloat(s, 64)
		if got, _ := r.Float64(); got != want {
			t.Fatalf("Rat(%q) = %v, ParseFloat = %v", s, got, want)
		}
	})
}
