package v1alpha1

import (
	"encoding/json"
	"testing"

	"sigs.k8s.io/yaml"
)

func TestDecimalRoundTripsWhatTheUserWrote(t *testing.T) {
	tests := map[string]struct {
		in, want string
	}{
		"integer":               {`{"value": 66}`, `{"value":66}`},
		"decimal":               {`{"value": 4.3}`, `{"value":4.3}`},
		"no float noise":        {`{"value": 0.1}`, `{"value":0.1}`},
		"negative (NPS)":        {`{"value": -12.5}`, `{"value":-12.5}`},
		"string form accepted":  {`{"value": "66.5"}`, `{"value":66.5}`},
		"many digits kept":      {`{"value": 66.00000001}`, `{"value":66.00000001}`},
		"exponent kept as sent": {`{"value": 1e2}`, `{"value":1e2}`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var v struct {
				Value Decimal `json:"value"`
			}
			if err := json.Unmarshal([]byte(tc.in), &v); err != nil {
				t.Fatal(err)
			}
			out, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tc.want {
				t.Errorf("round trip of %s = %s, want %s", tc.in, out, tc.want)
			}
		})
	}
}

func TestDecimalFromYAML(t *testing.T) {
	var target Target
	if err := yaml.Unmarshal([]byte("value: 4.3\natRiskMargin: 0.25\n"), &target); err != nil {
		t.Fatal(err)
	}
	if target.Value != "4.3" || *target.AtRiskMargin != "0.25" {
		t.Errorf("YAML decoded to %q / %q", target.Value, *target.AtRiskMargin)
	}
}

func TestDecimalRejectsNonNumbers(t *testing.T) {
	for _, in := range []string{`"abc"`, `"NaN"`, `"Inf"`, `true`, `"1e400"`, `"+5"`, `".5"`, `"5."`, `"0x1p-2"`} {
		var d Decimal
		if err := json.Unmarshal([]byte(in), &d); err == nil {
			t.Errorf("Unmarshal(%s) = %q, want an error", in, d)
		}
	}
}

func TestDecimalExactComparison(t *testing.T) {
	if Decimal("4.30").Rat().Cmp(Decimal("4.3").Rat()) != 0 {
		t.Error("4.30 and 4.3 must compare equal")
	}
	if NewDecimal(66.5) != "66.5" {
		t.Errorf("NewDecimal(66.5) = %s", NewDecimal(66.5))
	}
}
