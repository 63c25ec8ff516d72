package v1alpha1

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
)

// Decimal is a number exactly as the user wrote it (for example 75 or 4.3).
// It is kept as its decimal text so that what a manifest says is what status
// shows: no float rounding (66.00000001) and no Quantity suffixes (66500m).
// In JSON and YAML it is a plain number.
// +kubebuilder:validation:Type=number
type Decimal string

// Bounds of a Decimal's text. Numbers the API server stores are re-encoded
// from a float64 (at most 24 characters, exponents within ±324) or an int64
// (20 characters), so these never refuse one; they stop a number such as
// 0e99999999, which big.Rat would expand to 10^99999999, from costing
// memory and time.
const (
	// MaxDecimalLength bounds the characters of a Decimal.
	MaxDecimalLength = 64
	// MaxDecimalExponent bounds the absolute value of a Decimal's exponent.
	MaxDecimalExponent = 400
)

// NewDecimal formats f in its shortest exact decimal form: plain digits,
// or with an exponent when those would be longer than MaxDecimalLength.
func NewDecimal(f float64) Decimal {
	if s := strconv.FormatFloat(f, 'f', -1, 64); len(s) <= MaxDecimalLength {
		return Decimal(s)
	}
	return Decimal(strconv.FormatFloat(f, 'g', -1, 64))
}

// Float64 returns the value as a float64, for trend arithmetic and metrics.
func (d Decimal) Float64() float64 {
	f, _ := strconv.ParseFloat(string(d), 64)
	return f
}

// Rat returns the exact value; comparisons against targets use it so that a
// value equal to its target is never judged off by a rounding error. A value
// that does not Validate is 0.
func (d Decimal) Rat() *big.Rat {
	if d.Validate() != nil {
		return new(big.Rat)
	}
	r, ok := new(big.Rat).SetString(string(d))
	if !ok {
		return new(big.Rat)
	}
	return r
}

// String returns the number as written.
func (d Decimal) String() string { return string(d) }

// Validate reports whether d is a finite number in JSON's grammar (so that
// it marshals as written: "+5", ".5" or hex would not), of at most
// MaxDecimalLength characters and an exponent of at most MaxDecimalExponent.
func (d Decimal) Validate() error {
	s := string(d)
	if len(s) > MaxDecimalLength {
		return fmt.Errorf("a number of %d characters is longer than %d", len(s), MaxDecimalLength)
	}
	m := jsonNumber.FindStringSubmatch(s)
	if m == nil {
		return fmt.Errorf("%q is not a finite decimal number", s)
	}
	if m[3] != "" {
		if exp, err := strconv.Atoi(m[3][1:]); err != nil || exp > MaxDecimalExponent || exp < -MaxDecimalExponent {
			return fmt.Errorf("%q has an exponent beyond ±%d", s, MaxDecimalExponent)
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return fmt.Errorf("%q is not a finite decimal number", s)
	}
	return nil
}

// jsonNumber is the grammar of a JSON number.
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// MarshalJSON writes the number token unchanged.
func (d Decimal) MarshalJSON() ([]byte, error) {
	if d == "" {
		return []byte("0"), nil
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return []byte(d), nil
}

// UnmarshalJSON accepts a JSON number (kept verbatim) or a string holding one.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	v := Decimal(b)
	if err := v.Validate(); err != nil {
		return err
	}
	*d = v
	return nil
}
