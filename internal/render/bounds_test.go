package render

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// The two attacks of issue 7, as reproduced against the manager.
const (
	// printfDoubling doubles a string held in a variable once per behavior:
	// no output is written, so the output cap never saw it (183 bytes of
	// such a template allocated 587 MB; one more doubling is about 10 GB).
	printfDoubling = `{{$a := printf "%s%s" .Why .Why}}{{range .Behaviors}}{{$a = printf "%s%s" $a $a}}{{end}}{{len $a}}`
	// nestedRange is exponential: 50 behaviors to the fifth power of empty
	// iterations (5 levels took 7 s; 4,096 characters allow about 150).
	nestedRange = `{{range $.Behaviors}}{{range $.Behaviors}}{{range $.Behaviors}}{{range $.Behaviors}}{{range $.Behaviors}}` +
		`{{end}}{{end}}{{end}}{{end}}{{end}}`
)

// Budgets a render must stay within, whatever the template: the bytes it
// allocates in total and the time it takes.
const (
	maxAlloc   = 64 << 20
	maxElapsed = 2 * Timeout
	// maxTemplate is the API's maxLength of spec.reminders[].message.
	maxTemplate = 4096
)

// maxData is the largest data the API (and DataFor's trimming) allows.
func maxData() Data {
	d := Data{
		Name: strings.Repeat("n", 253), Namespace: strings.Repeat("s", 63), Why: strings.Repeat("<why>", 2048/5),
		Stage: strings.Repeat("S", 63), Progress: 100,
	}
	for range listSizes["CoreValues"] {
		d.CoreValues = append(d.CoreValues, strings.Repeat("v", 64))
	}
	for range listSizes["Sponsors"] {
		d.Sponsors = append(d.Sponsors, strings.Repeat("p", 128))
	}
	for range listSizes["Behaviors"] {
		d.Behaviors = append(d.Behaviors, Behavior{Name: strings.Repeat("b", 63), Description: strings.Repeat("d", 1024)})
	}
	for range listSizes["Indicators"] {
		d.Indicators = append(d.Indicators, Indicator{Name: strings.Repeat("i", 253), Category: "BehaviorAdoption", Unit: strings.Repeat("u", 64),
			Value: "-2.2250738585072014e-308", Target: "1e+300", Health: "OffTarget", Trend: "Declining"})
	}
	return d
}

// measure runs render once and reports the bytes it allocated and the time it took.
func measure(render func() (string, error)) (out string, alloc uint64, elapsed time.Duration, err error) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	out, err = render()
	elapsed = time.Since(start)
	runtime.ReadMemStats(&after)
	return out, after.TotalAlloc - before.TotalAlloc, elapsed, err
}

func TestBounds(t *testing.T) {
	repeat := func(s string, n int) string { return strings.Repeat(s, n) }
	tests := map[string]struct {
		tmpl    string // rendered over maxData
		wantErr string // "" means it renders
	}{
		"the printf doubling attack":         {tmpl: printfDoubling, wantErr: "function printf is not allowed"},
		"the nested range attack":            {tmpl: nestedRange, wantErr: "ranges are nested 3 deep; at most 2 may be nested"},
		"printf with a huge width":           {tmpl: `{{printf "%0999999999d" 1}}`, wantErr: "function printf is not allowed"},
		"printf in a parenthesised pipeline": {tmpl: `{{len (printf "%s%s" .Why .Why)}}`, wantErr: "function printf is not allowed"},
		"printf in a chain":                  {tmpl: `{{(printf "%s" .Why).Foo}}`, wantErr: "function printf is not allowed"},
		"print":                              {tmpl: `{{print .Why}}`, wantErr: "function print is not allowed"},
		"println":                            {tmpl: `{{$a := println .Why .Why}}`, wantErr: "function println is not allowed"},
		"js grows its input sixfold":         {tmpl: `{{js .Why}}`, wantErr: "function js is not allowed"},
		"html":                               {tmpl: `{{html .Why}}`, wantErr: "function html is not allowed"},
		"urlquery":                           {tmpl: `{{.Why | urlquery}}`, wantErr: "function urlquery is not allowed"},
		"call":                               {tmpl: `{{call .Why}}`, wantErr: "function call is not allowed"},
		"allowed functions":                  {tmpl: `{{if and (eq .Progress 100) (ge (len .Behaviors) 1) (not (lt .Progress 1)) (ne .Stage "")}}{{index .CoreValues 0 | len}} {{slice .Stage 0 2}}{{end}}`},
		"variables hold only data":           {tmpl: `{{$w := .Stage}}{{$w = slice $w 1}}{{len $w}}`},
		"two nested ranges":                  {tmpl: `{{range .Sponsors}}{{range $.CoreValues}}.{{end}}{{end}}`},
		"three nested ranges":                {tmpl: `{{range .Sponsors}}{{range $.CoreValues}}{{range $.Sponsors}}{{end}}{{end}}{{end}}`, wantErr: "ranges are nested 3 deep"},
		"a range in a range's else is not nested":      {tmpl: `{{range .Sponsors}}{{range $.CoreValues}}{{end}}{{else}}{{range .CoreValues}}{{end}}{{end}}`},
		"eight nested blocks":                          {tmpl: repeat(`{{if .Why}}`, 8) + "x" + repeat(`{{end}}`, 8)},
		"nine nested blocks":                           {tmpl: repeat(`{{with .Why}}`, 9) + repeat(`{{end}}`, 9), wantErr: "if, with and range are nested 9 deep; at most 8 are allowed"},
		"an else-if chain of twenty is not nested":     {tmpl: `{{if eq .Stage "a"}}` + repeat(`{{else if eq .Stage "b"}}`, 20) + `{{else}}{{if .Why}}{{end}}{{end}}`},
		"nine blocks nested through else":              {tmpl: repeat(`{{if .Why}}{{else}}`, 9) + repeat(`{{end}}`, 9), wantErr: "nested 9 deep"},
		"worst case over the step bound":               {tmpl: `{{range .Indicators}}{{range $.Behaviors}}` + repeat(`{{.Name}}`, 10) + `{{end}}{{end}}`, wantErr: "more than 20000 steps in the worst case"},
		"worst case just within the step bound":        {tmpl: `{{range .Indicators}}{{range $.Behaviors}}{{if .Name}}{{end}}{{end}}{{end}}`},
		"the slowest template found within the bounds": {tmpl: `{{range .Indicators}}{{range $.Sponsors}}{{if eq $.Why $.Why}}{{end}}{{if eq $.Why $.Why}}{{end}}{{end}}{{end}}`},
		"a range over a number":                        {tmpl: `{{range 1000000000000}}{{end}}`, wantErr: "range may only go over a list field (.Behaviors 50, .CoreValues 20, .Indicators 100, .Sponsors 20), not 1000000000000"},
		"a range over a variable":                      {tmpl: `{{$b := .Behaviors}}{{range $b}}{{end}}`, wantErr: "range may only go over a list field"},
		"a range over a string":                        {tmpl: `{{range .Why}}{{end}}`, wantErr: "range may only go over a list field"},
		"a range over a field of a field":              {tmpl: `{{range $.Behaviors.Name}}{{end}}`, wantErr: "range may only go over a list field"},
		"a range over a pipeline":                      {tmpl: `{{range slice .Behaviors 1}}{{end}}`, wantErr: "range may only go over a list field"},
		"output over the cap":                          {tmpl: `{{range .Behaviors}}{{.Description}}{{end}}`, wantErr: "rendered message is more than 8192 bytes"},
		"printing a whole list over the cap":           {tmpl: `{{.Behaviors}}`, wantErr: "rendered message is more than 8192 bytes"},
		"template calls":                               {tmpl: `{{define "a"}}{{template "a"}}{{end}}{{template "a"}}`, wantErr: "define and block are not allowed"},
		"block":                                        {tmpl: `{{block "a" .}}x{{end}}`, wantErr: "define and block are not allowed"},
	}
	data := maxData()
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			out, alloc, elapsed, err := measure(func() (string, error) { return Message(tc.tmpl, data) })
			if tc.wantErr == "" {
				g.Expect(err).NotTo(HaveOccurred())
				g.Expect(len(out)).To(BeNumerically("<=", MaxBytes))
			} else {
				g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
			}
			g.Expect(alloc).To(BeNumerically("<", maxAlloc), "bytes allocated")
			g.Expect(elapsed).To(BeNumerically("<", maxElapsed))
		})
	}
}

// TestDeadline renders with a clock that jumps past Timeout at each reading.
func TestDeadline(t *testing.T) {
	tests := map[string]struct {
		step    time.Duration // how far the clock moves per reading
		wantErr string
	}{
		"within the deadline": {step: time.Millisecond},
		"past the deadline":   {step: Timeout + time.Nanosecond, wantErr: "rendering took longer than 1s"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			clock := time.Unix(0, 0)
			now := func() time.Time { clock = clock.Add(tc.step); return clock }
			out, err := message(`{{.Stage}}`, Data{Stage: "Embedding"}, now)
			if tc.wantErr != "" {
				g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(out).To(Equal("Embedding"))
		})
	}
}

func TestDataForShowsTheFirstIndicatorsByName(t *testing.T) {
	g := NewWithT(t)
	inds := make([]v1alpha1.LeadingIndicator, 0, 2*MaxIndicators)
	for i := 2*MaxIndicators - 1; i >= 0; i-- {
		inds = append(inds, v1alpha1.LeadingIndicator{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("ind-%03d", i)}})
	}
	d := DataFor(&v1alpha1.Initiative{}, inds)
	g.Expect(d.Indicators).To(HaveLen(MaxIndicators))
	g.Expect(d.Indicators[0].Name).To(Equal("ind-000"))
	g.Expect(d.Indicators[MaxIndicators-1].Name).To(Equal(fmt.Sprintf("ind-%03d", MaxIndicators-1)))
}
