package metrics

import (
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"
)

// labelNames are a descriptor's variable label names, and their positions
// in name order (the order a series' label pairs are kept in).
type labelNames struct {
	names  []string
	sorted []int
}

// descLabels holds the label names of every descriptor newDesc made:
// prometheus.Desc does not expose them.
var descLabels = map[*prometheus.Desc]labelNames{}

// namesOf are labels with their positions in name order.
func namesOf(labels []string) labelNames {
	sorted := make([]int, len(labels))
	for i := range sorted {
		sorted[i] = i
	}
	slices.SortFunc(sorted, func(a, b int) int { return strings.Compare(labels[a], labels[b]) })
	return labelNames{names: slices.Clone(labels), sorted: sorted}
}

// sink is where one scrape sends its series. A scrape holds every series
// in memory until it is written out, and at 10,000 programs that is
// hundreds of thousands of them, each with four or five label pairs: the
// sink makes each distinct label pair once per scrape (one namespace pair,
// one pair per initiative, ...) and lets the series share it, where
// prometheus.NewConstMetric allocates every pair of every series anew.
//
// A sink made by newTextSink writes the series of one family as text
// instead, and drops the others (see WriteText).
type sink struct {
	ch    chan<- prometheus.Metric
	text  *textFamily
	pairs map[[2]string]*dto.LabelPair
	// last is the previous series' label names, values and pairs: most of
	// an object's series carry the same labels, and share one slice.
	last struct {
		names, values []string
		labels        []*dto.LabelPair
	}
	scratch []string // the label values of gaugeWith
}

// wants reports whether a series of any of ds would be kept: always, but
// a text sink keeps only its family's, and the collectors skip the work of
// the others.
func (s *sink) wants(ds ...*prometheus.Desc) bool {
	return s.text == nil || slices.Contains(ds, s.text.desc)
}

// gaugeWith sends a gauge labelled with values and then extra, without
// allocating the joined label values.
func (s *sink) gaugeWith(d *prometheus.Desc, v float64, values []string, extra string) {
	s.scratch = append(append(s.scratch[:0], values...), extra)
	s.gauge(d, v, s.scratch...)
}

func newSink(ch chan<- prometheus.Metric) *sink {
	return &sink{ch: ch, pairs: map[[2]string]*dto.LabelPair{}}
}

// gauge sends a gauge of d with the label values in d's label order.
func (s *sink) gauge(d *prometheus.Desc, v float64, values ...string) {
	l, ok := descLabels[d]
	if !ok || len(values) != len(l.names) {
		m := prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, values...) // panics on the mismatch
		if s.ch != nil {
			s.ch <- m
		}
		return
	}
	if s.text != nil {
		s.text.gauge(d, l, v, values)
		return
	}
	if !slices.Equal(l.names, s.last.names) || !slices.Equal(values, s.last.values) {
		labels := make([]*dto.LabelPair, len(values))
		for i, j := range l.sorted {
			labels[i] = s.pair(l.names[j], values[j])
		}
		s.last.names, s.last.values, s.last.labels = l.names, slices.Clone(values), labels
	}
	s.ch <- &sharedGauge{desc: d, labels: s.last.labels, value: v}
}

func (s *sink) pair(name, value string) *dto.LabelPair {
	key := [2]string{name, value}
	p := s.pairs[key]
	if p == nil {
		p = &dto.LabelPair{Name: proto.String(name), Value: proto.String(value)}
		s.pairs[key] = p
	}
	return p
}

// sharedGauge is a gauge whose label pairs, sorted by name, may be shared
// with other series of the same scrape; they are never modified.
type sharedGauge struct {
	desc   *prometheus.Desc
	labels []*dto.LabelPair
	value  float64
}

func (g *sharedGauge) Desc() *prometheus.Desc { return g.desc }

func (g *sharedGauge) Write(m *dto.Metric) error {
	m.Label = g.labels
	m.Gauge = &dto.Gauge{Value: proto.Float64(g.value)}
	return nil
}
