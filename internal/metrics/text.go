package metrics

import (
	"bufio"
	"context"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// WriteText writes every object's series to w in the Prometheus text
// format, as kube-state-metrics does: the objects are listed once, and each
// family is written in one pass over them, series by series, so a scrape
// holds its objects but never its series (at 10,000 programs, 360,000 of
// them, which Gather would hold as hundreds of megabytes of dto objects).
// The series are those Collect sends, with the same names, labels and
// values.
func (c *Collector) WriteText(ctx context.Context, w io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, listTimeout)
	defer cancel()
	o := c.snapshot(ctx)
	bw := bufio.NewWriterSize(w, 32<<10)
	for _, d := range descs {
		f := &textFamily{w: bw, desc: d}
		o.emit(&sink{text: f})
		if f.err != nil {
			return f.err
		}
	}
	return bw.Flush()
}

// textFamily writes the series of one family and drops the others'.
type textFamily struct {
	w       *bufio.Writer
	desc    *prometheus.Desc
	started bool
	buf     []byte
	err     error
}

// gauge writes one series of the family, after the family's HELP and TYPE
// lines if it is the first: a family without series is not written, as the
// registry does not write one.
func (f *textFamily) gauge(d *prometheus.Desc, l labelNames, v float64, values []string) {
	if d != f.desc || f.err != nil {
		return
	}
	b := f.buf[:0]
	if !f.started {
		f.started = true
		b = append(b, "# HELP "...)
		b = append(b, names[d]...)
		b = append(b, ' ')
		b = append(b, helpEscaper.Replace(helps[d])...)
		b = append(b, "\n# TYPE "...)
		b = append(b, names[d]...)
		b = append(b, " gauge\n"...)
	}
	b = append(b, names[d]...)
	for i, j := range l.sorted {
		if i == 0 {
			b = append(b, '{')
		} else {
			b = append(b, ',')
		}
		b = append(b, l.names[j]...)
		b = append(b, `="`...)
		b = append(b, valueEscaper.Replace(strings.ToValidUTF8(values[j], "\uFFFD"))...)
		b = append(b, '"')
	}
	if len(l.sorted) > 0 {
		b = append(b, '}')
	}
	b = append(b, ' ')
	b = appendFloat(b, v)
	b = append(b, '\n')
	f.buf = b
	_, f.err = f.w.Write(b)
}

// The escaping of the text format (as expfmt writes it).
var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	valueEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

// appendFloat writes v as expfmt does.
func appendFloat(b []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(b, "NaN"...)
	case math.IsInf(v, +1):
		return append(b, "+Inf"...)
	case math.IsInf(v, -1):
		return append(b, "-Inf"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}
