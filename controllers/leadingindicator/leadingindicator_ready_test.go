package leadingindicator

import (
	"errors"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/conditions"
	"github.com/momentum-dev/momentum/internal/due"
	"github.com/momentum-dev/momentum/internal/outbound"
	"github.com/momentum-dev/momentum/internal/sources"
)

func TestSourceCause(t *testing.T) {
	refusedReady := &metav1.Condition{Type: v1alpha1.ConditionReady, Reason: v1alpha1.ReasonSourceInvalid, Message: "refused", ObservedGeneration: 2}
	secretReady := &metav1.Condition{Type: v1alpha1.ConditionReady, Reason: v1alpha1.ReasonSecretNotUsable, Message: "bad token", ObservedGeneration: 2}
	cases := map[string]struct {
		m           measurement
		b           blocked
		failures    int32 // status.consecutiveFailures before
		prevReady   *metav1.Condition
		wasStalled  bool // a Stalled condition before
		unavailable bool
		want        cause // message not compared
	}{
		"nothing wrong":   {},
		"an invalid spec": {b: blocked{invalid: errors.New("bad")}, want: cause{reason: v1alpha1.ReasonSourceInvalid, stalled: true}},
		"an invalid spec wins over a Secret": {b: blocked{invalid: errors.New("bad"), refusal: "no"}, unavailable: true,
			want: cause{reason: v1alpha1.ReasonSourceInvalid, stalled: true}},
		"a Secret not usable": {b: blocked{refusal: "no"}, want: cause{reason: v1alpha1.ReasonSecretNotUsable}},
		"a URL no flag allows: stalled": {m: measurement{attempted: true, err: refused}, unavailable: true,
			want: cause{reason: v1alpha1.ReasonSourceInvalid, stalled: true}},
		"a URL the flags refuse: not stalled": {m: measurement{attempted: true, err: flagRefused}, unavailable: true,
			want: cause{reason: v1alpha1.ReasonSourceInvalid}},
		"a Secret's contents: the Secret, not the spec": {m: measurement{attempted: true, err: badToken},
			want: cause{reason: v1alpha1.ReasonSecretNotUsable}},
		"a transient failure": {m: measurement{attempted: true, err: errors.New("timeout")}},
		"a stalled refusal stands until the next attempt": {failures: 1, prevReady: refusedReady, wasStalled: true,
			want: cause{reason: v1alpha1.ReasonSourceInvalid, stalled: true, message: "refused"}},
		"a flag refusal stands, not stalled": {failures: 1, prevReady: refusedReady,
			want: cause{reason: v1alpha1.ReasonSourceInvalid, message: "refused"}},
		"a Secret's verdict stands": {failures: 1, prevReady: secretReady,
			want: cause{reason: v1alpha1.ReasonSecretNotUsable, message: "bad token"}},
		"a spec change ends it": {failures: 1, prevReady: &metav1.Condition{Reason: v1alpha1.ReasonSourceInvalid, ObservedGeneration: 1}},
		"unavailable":           {unavailable: true, want: cause{reason: v1alpha1.ReasonSourceUnavailable}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			obj := indicator(live)
			obj.Status.ConsecutiveFailures = tc.failures
			if tc.wasStalled {
				obj.Status.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionStalled, Status: metav1.ConditionTrue}}
			}
			got := sourceCause(obj, obj.Status, tc.m, tc.b, tc.prevReady, tc.unavailable)
			g.Expect(got.reason).To(Equal(tc.want.reason))
			g.Expect(got.stalled).To(Equal(tc.want.stalled))
			if tc.want.reason != "" {
				g.Expect(got.message).NotTo(BeEmpty())
			}
			if tc.want.message != "" {
				g.Expect(got.message).To(Equal(tc.want.message))
			}
		})
	}
}

// TestAttemptCause: each message says who fixes it and how.
func TestAttemptCause(t *testing.T) {
	blockedAddr := &sources.Error{Class: sources.ClassRefused, Detail: "http source: address resolves to a blocked range (loopback)"}
	cases := map[string]struct {
		m       measurement
		says    []string
		notSays []string
	}{
		"spec alone":  {m: measurement{err: refused}, says: []string{"fix spec.source", "retrying cannot help"}},
		"the Secret":  {m: measurement{err: badToken}, says: []string{`Secret "prom-token"`, "fix the Secret", "1m0s"}, notSays: []string{"fix spec.source"}},
		"a flag":      {m: measurement{err: flagRefused}, says: []string{"--allow-http-host", "every 5m0s", "recovers by itself"}},
		"DNS or CIDR": {m: measurement{err: blockedAddr}, says: []string{"--allow-cidr", "DNS", "recovers by itself"}},
		"the namespace": {m: measurement{err: flagRefused, withheld: true},
			says: []string{"namespace culture", "--allow-namespace-selector", "label the namespace", "recovers by itself"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			c := attemptCause(indicator(live), tc.m.err.Error(), tc.m)
			for _, s := range tc.says {
				g.Expect(c.message).To(ContainSubstring(s))
			}
			for _, s := range tc.notSays {
				g.Expect(c.message).NotTo(ContainSubstring(s))
			}
		})
	}
}

// TestMeasurementDue: a failure Ready reports from an older generation is
// measured again at once; a Secret's after secretRecheck.
func TestMeasurementDue(t *testing.T) {
	last := t0.Add(-2 * time.Minute)
	cases := map[string]struct {
		reason   string // Ready's reason before
		gen      int64  // Ready's observedGeneration; the indicator is at 2
		failures int32
		want     time.Time
	}{
		"measured: the interval":                     {reason: v1alpha1.ReasonMeasured, gen: 1, want: last.Add(5 * time.Minute)},
		"refused at this generation: the interval":   {reason: v1alpha1.ReasonSourceInvalid, gen: 2, failures: 1, want: last.Add(5 * time.Minute)},
		"refused at an older generation: now":        {reason: v1alpha1.ReasonSourceInvalid, gen: 1, failures: 1, want: t0},
		"a Secret at an older generation: now":       {reason: v1alpha1.ReasonSecretNotUsable, gen: 1, failures: 1, want: t0},
		"a Secret at this generation: secretRecheck": {reason: v1alpha1.ReasonSecretNotUsable, gen: 2, failures: 1, want: last.Add(secretRecheck)},
		"a Secret refused before any attempt":        {reason: v1alpha1.ReasonSecretNotUsable, gen: 1, want: last.Add(5 * time.Minute)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			obj := indicator(&v1alpha1.IndicatorSource{HTTP: &v1alpha1.HTTPSource{URL: "https://survey.example.com", JSONPath: "{.nps}",
				Interval: &metav1.Duration{Duration: 5 * time.Minute}}})
			obj.Status.ConsecutiveFailures = tc.failures
			ready := &metav1.Condition{Type: v1alpha1.ConditionReady, Reason: tc.reason, ObservedGeneration: tc.gen}
			got := measurementDue(obj, ready, last, t0)
			// NextMeasurement spreads sources by key: allow its jitter.
			NewWithT(t).Expect(got).To(BeTemporally("~", tc.want, time.Minute))
			if tc.want.Equal(t0) || tc.want.Equal(last.Add(secretRecheck)) {
				NewWithT(t).Expect(got).To(Equal(tc.want))
			}
		})
	}
}

func TestNextMeasurement(t *testing.T) {
	dueAt := t0.Add(5 * time.Minute)
	cases := map[string]struct {
		c    cause
		want time.Time
	}{
		"as the interval says":             {want: dueAt},
		"stalled: never":                   {c: cause{reason: v1alpha1.ReasonSourceInvalid, stalled: true}},
		"a Secret not usable: look again":  {c: cause{reason: v1alpha1.ReasonSecretNotUsable}, want: t0.Add(secretRecheck)},
		"unavailable: measurement goes on": {c: cause{reason: v1alpha1.ReasonSourceUnavailable}, want: dueAt},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(nextMeasurement(tc.c, measurement{next: dueAt}, t0)).To(Equal(tc.want))
		})
	}
}

func TestReadyCondition(t *testing.T) {
	withBehavior := initiative.DeepCopy()
	withBehavior.Spec.Behaviors = []v1alpha1.Behavior{{Name: "listen"}}
	cases := map[string]struct {
		initiative *v1alpha1.Initiative
		behavior   string
		trend      v1alpha1.Trend
		c          cause
		reason     string
		stalled    string
		message    string
	}{
		"measured":             {initiative: initiative, trend: v1alpha1.TrendUnknown, reason: v1alpha1.ReasonMeasured, message: "nps is fine"},
		"measured, with trend": {initiative: initiative, trend: v1alpha1.TrendImproving, reason: v1alpha1.ReasonMeasured, message: "nps is fine (trend Improving)"},
		"the source first":     {c: cause{reason: v1alpha1.ReasonSourceInvalid, stalled: true, message: "fix"}, reason: v1alpha1.ReasonSourceInvalid, stalled: v1alpha1.ReasonSourceInvalid, message: "fix"},
		"not stalled":          {c: cause{reason: v1alpha1.ReasonSourceUnavailable, message: "down"}, reason: v1alpha1.ReasonSourceUnavailable, message: "down"},
		"no initiative":        {reason: v1alpha1.ReasonInitiativeNotFound},
		"an unknown behavior":  {initiative: withBehavior, behavior: "shout", reason: v1alpha1.ReasonBehaviorNotFound},
		"a known behavior":     {initiative: withBehavior, behavior: "listen", trend: v1alpha1.TrendUnknown, reason: v1alpha1.ReasonMeasured, message: "nps is fine"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			obj := indicator(live)
			obj.Spec.Behavior = tc.behavior
			ready, stalled := readyCondition(obj, tc.initiative, tc.trend, "nps is fine", tc.c)
			g.Expect(ready.Reason).To(Equal(tc.reason))
			g.Expect(stalled).To(Equal(tc.stalled))
			if tc.message != "" {
				g.Expect(ready.Message).To(Equal(tc.message))
			}
		})
	}
}

func TestWarning(t *testing.T) {
	failing := metav1.Condition{Status: metav1.ConditionFalse, Reason: v1alpha1.ReasonSourceInvalid}
	cases := map[string]struct {
		prev   *metav1.Condition
		next   metav1.Condition
		events int
	}{
		"turned False":     {next: failing, events: 1},
		"stays False":      {prev: &failing, next: failing},
		"True: no Warning": {next: metav1.Condition{Status: metav1.ConditionTrue, Reason: v1alpha1.ReasonMeasured}},
		"another reason":   {prev: &metav1.Condition{Status: metav1.ConditionFalse, Reason: v1alpha1.ReasonSourceUnavailable}, next: failing, events: 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(conditions.Warning(tc.prev, tc.next)).To(HaveLen(tc.events))
		})
	}
}

func TestValidateSource(t *testing.T) {
	cases := map[string]struct {
		src *v1alpha1.IndicatorSource
		bad bool
	}{
		"none":              {},
		"a good jsonPath":   {src: live},
		"a broken jsonPath": {src: &v1alpha1.IndicatorSource{HTTP: &v1alpha1.HTTPSource{JSONPath: "{.nps"}}, bad: true},
		"a good query":      {src: &v1alpha1.IndicatorSource{Prometheus: &v1alpha1.PrometheusSource{Query: "sum(up)"}}},
		"a broken query":    {src: &v1alpha1.IndicatorSource{Prometheus: &v1alpha1.PrometheusSource{Query: "sum(up"}}, bad: true},
		"a derived source":  {src: &v1alpha1.IndicatorSource{Commitments: &v1alpha1.CommitmentsSource{}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(validateSource(tc.src) != nil).To(Equal(tc.bad))
		})
	}
}

func TestSecretUseAndHost(t *testing.T) {
	cases := map[string]struct {
		src           *v1alpha1.IndicatorSource
		name, purpose string
		host          string
	}{
		"no Secret": {src: live, host: "survey.example.com"},
		"headers": {src: &v1alpha1.IndicatorSource{HTTP: &v1alpha1.HTTPSource{URL: "https://survey.example.com/x", HeadersSecretRef: &v1alpha1.LocalObjectReference{Name: "h"}}},
			name: "h", purpose: v1alpha1.PurposeHTTPHeaders, host: "survey.example.com"},
		"a bearer token": {src: &v1alpha1.IndicatorSource{Prometheus: &v1alpha1.PrometheusSource{Address: "https://prom:9090", BearerTokenSecretRef: &v1alpha1.SecretKeySelector{Name: "t"}}},
			name: "t", purpose: v1alpha1.PurposePrometheusToken, host: "prom"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			n, purpose, address := secretUse(tc.src)
			g.Expect(n).To(Equal(tc.name))
			g.Expect(purpose).To(Equal(tc.purpose))
			if n != "" {
				g.Expect(outbound.Host(address)).To(Equal(tc.host))
			}
		})
	}
}

func TestUntilHeldAndAsksOut(t *testing.T) {
	cases := map[string]struct {
		until time.Time
		want  time.Duration
	}{
		"not held":   {},
		"held":       {until: t0.Add(time.Second), want: time.Second},
		"held, over": {until: t0.Add(-time.Second), want: time.Millisecond},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(due.After(tc.until, t0)).To(Equal(tc.want))
		})
	}
	g := NewWithT(t)
	g.Expect(asksOut(live)).To(BeTrue())
	g.Expect(asksOut(&v1alpha1.IndicatorSource{Recognition: &v1alpha1.RecognitionSource{}})).To(BeFalse())
}
