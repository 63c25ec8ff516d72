package metrics

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-logr/logr"
	. "github.com/onsi/gomega"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/utils/ptr"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// oddProgram adds what needs escaping (a win key with quotes, a backslash
// and a newline, which any Job creator can write), an assessment,
// celebration Jobs and a Success Index roll-up to program(): a series of
// every family.
func oddProgram() fakeReader {
	r := program()
	r.initiatives[0].UID = "uid-1"
	r.initiatives[0].Status.Celebrations = &v1alpha1.CelebrationStatus{Failed: []string{"stage-implementation"}}
	r.campaigns[0].Status.LastFailureTime = at(130)
	r.initiatives[0].Status.Commitments = &v1alpha1.CommitmentRollup{Count: 6, MeanIndex: ptr.To[int32](72), Participation: ptr.To[int32](50)}
	owner := []metav1.OwnerReference{{APIVersion: v1alpha1.GroupVersion.String(), Kind: "Initiative", Name: "customer-first", UID: "uid-1", Controller: ptr.To(true)}}
	for i, win := range []string{`say "hi" \ then` + "\n" + "bye", "target-nps-1"} {
		r.jobs = append(r.jobs, batchv1.Job{
			ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "job-" + string(rune('a'+i)), OwnerReferences: owner,
				Labels:      map[string]string{"culture.momentum.dev/celebration": "true"},
				Annotations: map[string]string{"culture.momentum.dev/win": win}},
			Status: batchv1.JobStatus{Conditions: []batchv1.JobCondition{{Type: batchv1.JobFailed, Status: corev1.ConditionTrue, LastTransitionTime: *at(i)}}},
		})
	}
	r.assessments = []v1alpha1.CultureAssessment{{
		ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "q4"},
		Spec:       v1alpha1.CultureAssessmentSpec{InitiativeRef: v1alpha1.LocalObjectReference{Name: "customer-first"}},
		Status: v1alpha1.CultureAssessmentStatus{Disciplines: []v1alpha1.DisciplineStatus{
			{Name: "listening", Score: ptr.To(v1alpha1.Decimal("3.25")), Target: "4", Breadth: ptr.To[int32](50), Depth: ptr.To(v1alpha1.Decimal("1.5"))},
		}},
	}}
	return r
}

// The streamed text, parsed by expfmt's text parser, holds exactly the
// families, help, series and values the collector gives the registry.
func TestWriteTextMatchesCollect(t *testing.T) {
	cases := map[string][]fakeReader{
		"a program":                    {program()},
		"escaping, jobs, assessments":  {oddProgram()},
		"two readers with one program": {program(), program()},
		"a failing reader":             {program(), {err: errors.New("cache not synced")}},
		"nothing":                      {},
	}
	for name, readers := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			c := NewCollector()
			for _, r := range readers {
				c.AddSource(r)
			}
			reg := prometheus.NewPedanticRegistry()
			g.Expect(reg.Register(c)).To(Succeed())
			want, err := reg.Gather()
			g.Expect(err).NotTo(HaveOccurred())

			var buf bytes.Buffer
			g.Expect(c.WriteText(context.Background(), &buf)).To(Succeed())
			parser := expfmt.NewTextParser(model.UTF8Validation)
			parsed, err := parser.TextToMetricFamilies(&buf)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(text(g, sorted(parsed))).To(Equal(text(g, want)))
			g.Expect(want).NotTo(BeEmpty(), "list_failed is always exported")
		})
	}
}

// sorted orders families by name and series by labels, as Gather does.
func sorted(families map[string]*dto.MetricFamily) []*dto.MetricFamily {
	out := make([]*dto.MetricFamily, 0, len(families))
	for _, f := range families {
		slices.SortFunc(f.Metric, func(a, b *dto.Metric) int { return strings.Compare(labelsOf(a), labelsOf(b)) })
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b *dto.MetricFamily) int { return strings.Compare(a.GetName(), b.GetName()) })
	return out
}

func labelsOf(m *dto.Metric) string {
	var b strings.Builder
	for _, l := range m.GetLabel() {
		b.WriteString(l.GetName() + "\x00" + l.GetValue() + "\x00")
	}
	return b.String()
}

func text(g Gomega, families []*dto.MetricFamily) string {
	var b strings.Builder
	for _, f := range families {
		_, err := expfmt.MetricFamilyToText(&b, f)
		g.Expect(err).NotTo(HaveOccurred())
	}
	return b.String()
}

// /metrics, served through Serve's filter, answers with the registry's
// metrics and the objects' series, gzipped when asked, and only past the
// filter the options had; other paths reach their own handler.
func TestServe(t *testing.T) {
	g := NewWithT(t)
	t.Cleanup(defaultCollector.AddSource(program()))

	refuseAnonymous := func(*rest.Config, *http.Client) (metricsserver.Filter, error) {
		return func(_ logr.Logger, h http.Handler) (http.Handler, error) {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") == "" {
					http.Error(w, "Unauthorized", http.StatusUnauthorized)
					return
				}
				h.ServeHTTP(w, r)
			}), nil
		}, nil
	}
	o := metricsserver.Options{FilterProvider: refuseAnonymous}
	Serve(&o)
	filter, err := o.FilterProvider(nil, nil)
	g.Expect(err).NotTo(HaveOccurred())
	promhttp := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "registry only") })
	h, err := filter(logr.Discard(), promhttp)
	// Serve serves controller-runtime's registry (here, its webhook metrics).
	g.Expect(err).NotTo(HaveOccurred())

	cases := map[string]struct {
		path, auth, encoding string
		status               int
		contains             []string
	}{
		"anonymous":   {path: "/metrics", status: http.StatusUnauthorized},
		"plain":       {path: "/metrics", auth: "Bearer x", status: http.StatusOK, contains: []string{"controller_runtime_webhook_panics_total", `momentum_initiative_ready{initiative="customer-first",namespace="culture"} 1`}},
		"gzip":        {path: "/metrics", auth: "Bearer x", encoding: "gzip", status: http.StatusOK, contains: []string{"controller_runtime_webhook_panics_total", "momentum_indicator_target"}},
		"other path":  {path: "/debug", auth: "Bearer x", status: http.StatusOK, contains: []string{"registry only"}},
		"other, anon": {path: "/debug", status: http.StatusUnauthorized},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			req := httptest.NewRequest(http.MethodGet, tc.path, nil)
			req.Header.Set("Authorization", tc.auth)
			req.Header.Set("Accept-Encoding", tc.encoding)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			g.Expect(rec.Code).To(Equal(tc.status))
			body := rec.Body.Bytes()
			if tc.encoding == "gzip" {
				g.Expect(rec.Header().Get("Content-Encoding")).To(Equal("gzip"))
				zr, err := gzip.NewReader(bytes.NewReader(body))
				g.Expect(err).NotTo(HaveOccurred())
				body, err = io.ReadAll(zr)
				g.Expect(err).NotTo(HaveOccurred())
			}
			for _, s := range tc.contains {
				g.Expect(string(body)).To(ContainSubstring(s))
			}
		})
	}
}

// manyPrograms is n copies of program() under distinct names.
func manyPrograms(n int) fakeReader {
	p := program()
	var r fakeReader
	for i := range n {
		suffix := "-" + strconv.Itoa(i)
		for _, in := range p.initiatives {
			in.Name += suffix
			r.initiatives = append(r.initiatives, in)
		}
		for _, li := range p.indicators {
			li.Name += suffix
			li.Spec.InitiativeRef.Name += suffix
			r.indicators = append(r.indicators, li)
		}
	}
	return r
}

// A scrape of 1,000 programs, streamed (compare with BenchmarkGather: the
// bytes allocated per scrape, and what of it lives until the end).
func BenchmarkWriteText(b *testing.B) {
	c := NewCollector(manyPrograms(1000))
	b.ReportAllocs()
	for b.Loop() {
		if err := c.WriteText(context.Background(), io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// The same scrape through the registry's Gather and expfmt.
func BenchmarkGather(b *testing.B) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewCollector(manyPrograms(1000)))
	b.ReportAllocs()
	for b.Loop() {
		families, err := reg.Gather()
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range families {
			if _, err := expfmt.MetricFamilyToText(io.Discard, f); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// oddProgram has a series of every family, so the comparison above covers
// each family's pass.
func TestOddProgramCoversEveryFamily(t *testing.T) {
	g := NewWithT(t)
	var buf bytes.Buffer
	g.Expect(NewCollector(oddProgram()).WriteText(context.Background(), &buf)).To(Succeed())
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(&buf)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(slices.Sorted(maps.Keys(families))).To(ConsistOf(Names()))
}

// Each kind's collector has series only in the families its pass is run
// for (kindDescs): a family missing there would be missing from /metrics.
func TestKindsDeclareTheirFamilies(t *testing.T) {
	all := oddProgram()
	cases := map[string]struct {
		objects fakeReader
		descs   []*prometheus.Desc
	}{
		"initiatives": {fakeReader{initiatives: all.initiatives}, initiativeDescs},
		"indicators":  {fakeReader{indicators: all.indicators}, indicatorDescs},
		"campaigns":   {fakeReader{campaigns: all.campaigns}, campaignDescs},
		"assessments": {fakeReader{assessments: all.assessments}, assessmentDescs},
		"jobs":        {fakeReader{initiatives: all.initiatives, jobs: all.jobs}, append(slices.Clone(initiativeDescs), deliveryDescs...)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			declared := []string{names[listFailed]}
			for _, d := range tc.descs {
				declared = append(declared, names[d])
			}
			reg := prometheus.NewPedanticRegistry()
			g.Expect(reg.Register(NewCollector(tc.objects))).To(Succeed())
			families, err := reg.Gather()
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(len(families)).To(BeNumerically(">", 1), "the kind has series")
			for _, f := range families {
				g.Expect(declared).To(ContainElement(f.GetName()))
			}
		})
	}
}
