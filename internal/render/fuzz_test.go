package render

import (
	"strings"
	"testing"
)

// FuzzRender renders any template the API accepts over the largest data it
// allows and asserts the bounds hold: at most maxAlloc bytes allocated, at
// most maxElapsed, output within MaxBytes, and every refusal a template
// error. The committed corpus (testdata/fuzz/FuzzRender) holds the attacks
// of issue 7; `make fuzz` explores from there.
func FuzzRender(f *testing.F) {
	for _, seed := range []string{
		printfDoubling, nestedRange,
		"Why we do this: {{ .Why }} — we are in {{ .Stage }}, {{ .Progress }}% of the way.",
		"{{ range .Indicators }}• {{ .Name }}: {{ .Value }} (target {{ .Target }}, {{ .Health }})\n{{ end }}",
		`{{range .Indicators}}{{range $.Sponsors}}{{if eq $.Why $.Why}}{{end}}{{end}}{{end}}`,
		`{{if eq .Stage "a"}}a{{else if eq .Stage "b"}}b{{else with .Why}}{{slice . 0 3}}{{end}}`,
	} {
		f.Add(seed)
	}
	data := maxData()
	f.Fuzz(func(t *testing.T, tmpl string) {
		if len(tmpl) > maxTemplate {
			return // the API server refuses longer messages
		}
		out, alloc, elapsed, err := measure(func() (string, error) { return Message(tmpl, data) })
		if alloc > maxAlloc {
			t.Errorf("rendering allocated %d bytes, more than %d", alloc, maxAlloc)
		}
		if elapsed > maxElapsed {
			t.Errorf("rendering took %s, more than %s", elapsed, maxElapsed)
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), "template") {
				t.Errorf("error %q does not say it is the template's", err)
			}
			return
		}
		if len(out) > MaxBytes {
			t.Errorf("rendered %d bytes, more than %d", len(out), MaxBytes)
		}
	})
}
