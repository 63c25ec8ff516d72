package metrics

import (
	"testing"

	. "github.com/onsi/gomega"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// A shared gauge writes what prometheus.NewConstMetric writes, and the
// series of one scrape share their label pairs.
func TestSinkSharesLabelPairs(t *testing.T) {
	desc := newDesc("test_metric", "help", []string{"namespace", "initiative", "health"})
	cases := map[string][]string{
		"one series":     {"team-a", "onboarding", "OnTarget"},
		"another series": {"team-a", "onboarding", "AtRisk"},
	}
	ch := make(chan prometheus.Metric, len(cases))
	s := newSink(ch)
	written := map[string]*dto.Metric{}
	for name, values := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			s.gauge(desc, 1, values...)
			got, want := &dto.Metric{}, &dto.Metric{}
			g.Expect((<-ch).Write(got)).To(Succeed())
			g.Expect(prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, 1, values...).Write(want)).To(Succeed())
			g.Expect(got.String()).To(Equal(want.String()))
			written[name] = got
		})
	}
	g := NewWithT(t)
	a, b := written["one series"].GetLabel(), written["another series"].GetLabel()
	g.Expect(a[1]).To(BeIdenticalTo(b[1]), "the initiative pair is shared")
	g.Expect(a[0]).NotTo(BeIdenticalTo(b[0]), "the health pairs differ")
}

// A series with the wrong number of labels is refused as before.
func TestSinkRefusesWrongLabelCount(t *testing.T) {
	g := NewWithT(t)
	desc := newDesc("test_metric_count", "help", []string{"namespace"})
	s := newSink(make(chan prometheus.Metric, 1))
	g.Expect(func() { s.gauge(desc, 1, "a", "b") }).To(Panic())
}

// Consecutive series with the same labels (most of an object's) share one
// slice of label pairs.
func TestSinkSharesLabelsOfOneObject(t *testing.T) {
	g := NewWithT(t)
	labels := []string{"namespace", "initiative"}
	a, b := newDesc("test_a", "help", labels), newDesc("test_b", "help", labels)
	ch := make(chan prometheus.Metric, 3)
	s := newSink(ch)
	s.gauge(a, 1, "team-a", "onboarding")
	s.gauge(b, 2, "team-a", "onboarding")
	s.gauge(b, 3, "team-a", "renewals")
	var got [3]*dto.Metric
	for i := range got {
		got[i] = &dto.Metric{}
		g.Expect((<-ch).Write(got[i])).To(Succeed())
	}
	g.Expect(&got[0].Label[0]).To(BeIdenticalTo(&got[1].Label[0]))
	g.Expect(&got[1].Label[0]).NotTo(BeIdenticalTo(&got[2].Label[0]))
	g.Expect(got[2].GetLabel()[0].GetValue()).To(Equal("renewals"))
}
