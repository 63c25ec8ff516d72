package leadingindicator

import (
	"context"
	"errors"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/health"
	"github.com/momentum-dev/momentum/internal/sources"
)

var t0 = time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC)

// indicator is an NPS indicator of initiative customer-first, target 50.
func indicator(src *v1alpha1.IndicatorSource) *v1alpha1.LeadingIndicator {
	ind := &v1alpha1.LeadingIndicator{ObjectMeta: metav1.ObjectMeta{Namespace: "culture", Name: "nps", Generation: 2}}
	ind.Spec.InitiativeRef.Name = "customer-first"
	ind.Spec.Target.Value = "50"
	ind.Spec.Source = src
	return ind
}

var (
	live       = &v1alpha1.IndicatorSource{HTTP: &v1alpha1.HTTPSource{URL: "https://survey.example.com", JSONPath: "{.nps}"}}
	initiative = &v1alpha1.Initiative{ObjectMeta: metav1.ObjectMeta{Name: "customer-first"}}
	// refused is a URL no flag allows (credentials in it).
	refused = refusal("https://u:p@survey.example.com")
	// flagRefused is plain http that --allow-http-host could allow.
	flagRefused = refusal("http://survey.example.com")
	badToken    = &sources.Error{Class: sources.ClassSecretNotUsable, Detail: `Secret "prom-token" key "token" does not hold a valid bearer token`}
)

// refusal is the error the default outbound policy gives for url; it is
// refused before anything is dialled.
func refusal(url string) error {
	_, err := sources.Measurer{}.HTTP(context.Background(), &v1alpha1.HTTPSource{URL: url, JSONPath: "{.nps}"}, nil)
	return err
}

// onTarget is an indicator measured at 60 a minute ago.
func onTarget() *v1alpha1.LeadingIndicator {
	ind := indicator(live)
	ind.Status.History = []v1alpha1.Measurement{{At: metav1.NewTime(t0.Add(-time.Minute)), Value: "60"}}
	ind.Status.Health = v1alpha1.HealthOnTarget
	return ind
}

func TestDecide(t *testing.T) {
	cases := map[string]struct {
		obj        *v1alpha1.LeadingIndicator
		initiative *v1alpha1.Initiative
		m          measurement
		b          blocked
		// ready and stalled are Ready's and Stalled's reasons; next says
		// whether another measurement is planned.
		ready, stalled string
		next           bool
		health         v1alpha1.Health
	}{
		"measured on target": {obj: indicator(live), initiative: initiative, m: measurement{attempted: true, value: "60", at: t0, next: t0.Add(5 * time.Minute)},
			ready: v1alpha1.ReasonMeasured, next: true, health: v1alpha1.HealthOnTarget},
		"no initiative": {obj: indicator(live), m: measurement{attempted: true, value: "60", at: t0, next: t0.Add(5 * time.Minute)},
			ready: v1alpha1.ReasonInitiativeNotFound, next: true, health: v1alpha1.HealthOnTarget},
		"an invalid query: stalled, nothing planned": {obj: indicator(live), initiative: initiative, b: blocked{invalid: errors.New("parse error")},
			ready: v1alpha1.ReasonSourceInvalid, stalled: v1alpha1.ReasonSourceInvalid, health: v1alpha1.HealthUnknown},
		"a Secret not usable: looked at again": {obj: indicator(live), initiative: initiative, b: blocked{refusal: "not labelled"},
			ready: v1alpha1.ReasonSecretNotUsable, next: true, health: v1alpha1.HealthUnknown},
		"a URL the policy refuses: stalled at once": {obj: indicator(live), initiative: initiative, m: measurement{attempted: true, err: refused, at: t0, next: t0.Add(5 * time.Minute)},
			ready: v1alpha1.ReasonSourceInvalid, stalled: v1alpha1.ReasonSourceInvalid, health: v1alpha1.HealthUnknown},
		"a URL no flag allows, with history on target: health Unknown at once": {obj: onTarget(), initiative: initiative,
			m:     measurement{attempted: true, err: refused, at: t0, next: t0.Add(5 * time.Minute)},
			ready: v1alpha1.ReasonSourceInvalid, stalled: v1alpha1.ReasonSourceInvalid, health: v1alpha1.HealthUnknown},
		"a URL the flags refuse, with history on target: Unknown, measured on": {obj: onTarget(), initiative: initiative,
			m:     measurement{attempted: true, err: flagRefused, at: t0, next: t0.Add(5 * time.Minute)},
			ready: v1alpha1.ReasonSourceInvalid, next: true, health: v1alpha1.HealthUnknown},
		"a bad token, with history on target: Unknown, looked at again": {obj: onTarget(), initiative: initiative,
			m:     measurement{attempted: true, err: badToken, at: t0, next: t0.Add(5 * time.Minute)},
			ready: v1alpha1.ReasonSecretNotUsable, next: true, health: v1alpha1.HealthUnknown},
		"a Secret not usable, with history on target: Unknown": {obj: onTarget(), initiative: initiative, b: blocked{refusal: "not labelled"},
			ready: v1alpha1.ReasonSecretNotUsable, next: true, health: v1alpha1.HealthUnknown},
		"an invalid query, with history on target: Unknown": {obj: onTarget(), initiative: initiative, b: blocked{invalid: errors.New("parse error")},
			ready: v1alpha1.ReasonSourceInvalid, stalled: v1alpha1.ReasonSourceInvalid, health: v1alpha1.HealthUnknown},
		"on target, measured": {obj: onTarget(), initiative: initiative, m: measurement{next: t0.Add(5 * time.Minute)},
			ready: v1alpha1.ReasonMeasured, next: true, health: v1alpha1.HealthOnTarget},
		"failing failureLimit times: unavailable": {obj: func() *v1alpha1.LeadingIndicator {
			ind := indicator(live)
			ind.Spec.FailureLimit = ptr.To[int32](1)
			return ind
		}(), initiative: initiative, m: measurement{attempted: true, err: errors.New("timeout"), at: t0, next: t0.Add(5 * time.Minute)},
			ready: v1alpha1.ReasonSourceUnavailable, next: true, health: v1alpha1.HealthUnknown},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			given := tc.obj.DeepCopy()
			d := decide(tc.obj, tc.initiative, tc.m, tc.b, t0)
			g.Expect(tc.obj).To(Equal(given), "decide changes nothing it is given")
			g.Expect(d.ready.Reason).To(Equal(tc.ready))
			g.Expect(d.stalled).To(Equal(tc.stalled))
			g.Expect(d.nextMeasurement.IsZero()).To(Equal(!tc.next))
			g.Expect(d.status.Health).To(Equal(tc.health))
		})
	}
}

func TestRecordAttempt(t *testing.T) {
	failedBefore := v1alpha1.LeadingIndicatorStatus{ConsecutiveFailures: 2, LastFailure: "timeout"}
	cases := map[string]struct {
		src      *v1alpha1.IndicatorSource
		prev     v1alpha1.LeadingIndicatorStatus
		m        measurement
		failures int32
		history  int
		attempt  bool
	}{
		"not due: kept":                {src: live, prev: failedBefore, failures: 2},
		"a success resets the count":   {src: live, prev: failedBefore, m: measurement{attempted: true, value: "1", at: t0}, history: 1, attempt: true},
		"a failure counts":             {src: live, prev: failedBefore, m: measurement{attempted: true, err: errors.New("x"), at: t0}, failures: 3, attempt: true},
		"no source: nothing attempted": {prev: failedBefore},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			st := recordAttempt(indicator(tc.src).Spec, tc.prev, tc.m)
			g.Expect(st.ConsecutiveFailures).To(Equal(tc.failures))
			g.Expect(st.History).To(HaveLen(tc.history))
			g.Expect(st.LastAttemptTime != nil).To(Equal(tc.attempt))
		})
	}
}

func TestJudge(t *testing.T) {
	sample := []v1alpha1.Measurement{{At: metav1.NewTime(t0), Value: "40"}}
	cases := map[string]struct {
		src          *v1alpha1.IndicatorSource
		failures     int32
		unmeasurable bool // sourceCause names something
		health       v1alpha1.Health
		unavailable  bool
	}{
		"below target":                     {src: live, health: v1alpha1.HealthOffTarget},
		"failing below the limit":          {src: live, failures: 2, health: v1alpha1.HealthOffTarget},
		"failing at the limit":             {src: live, failures: v1alpha1.DefaultFailureLimit, unmeasurable: true, health: v1alpha1.HealthUnknown, unavailable: true},
		"refused after one attempt":        {src: live, failures: 1, unmeasurable: true, health: v1alpha1.HealthUnknown},
		"samples from Git never fail":      {failures: 9, health: v1alpha1.HealthOffTarget},
		"unmeasurable without any failure": {src: live, unmeasurable: true, health: v1alpha1.HealthUnknown},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			spec, st := indicator(tc.src).Spec, v1alpha1.LeadingIndicatorStatus{History: sample, ConsecutiveFailures: tc.failures}
			g.Expect(judge(spec, st, t0, tc.unmeasurable).Health).To(Equal(tc.health))
			g.Expect(unavailable(spec, st)).To(Equal(tc.unavailable))
		})
	}
}

func TestWithHealth(t *testing.T) {
	latest := v1alpha1.Measurement{At: metav1.NewTime(t0), Value: "40"}
	cases := map[string]struct {
		res   health.Result
		value bool
	}{
		"no data": {res: health.Result{Health: v1alpha1.HealthUnknown}},
		"a value": {res: health.Result{Health: v1alpha1.HealthOffTarget, Latest: &latest}, value: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			st := withHealth(v1alpha1.LeadingIndicatorStatus{Value: ptr.To(v1alpha1.Decimal("1"))}, tc.res)
			g.Expect(st.Health).To(Equal(tc.res.Health))
			g.Expect(st.Value != nil).To(Equal(tc.value))
			g.Expect(st.MeasuredAt != nil).To(Equal(tc.value))
		})
	}
}

func TestHealthChanged(t *testing.T) {
	cases := map[string]struct {
		prev, next v1alpha1.Health
		events     int
	}{
		"first judgement": {next: v1alpha1.HealthOnTarget},
		"unchanged":       {prev: v1alpha1.HealthOnTarget, next: v1alpha1.HealthOnTarget},
		"changed":         {prev: v1alpha1.HealthOnTarget, next: v1alpha1.HealthOffTarget, events: 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(healthChanged(tc.prev, tc.next, "nps")).To(HaveLen(tc.events))
		})
	}
}

func TestLimits(t *testing.T) {
	cases := map[string]struct {
		spec     v1alpha1.LeadingIndicatorSpec
		history  int
		failures int32
	}{
		"defaults": {history: v1alpha1.DefaultHistoryLimit, failures: v1alpha1.DefaultFailureLimit},
		"set":      {spec: v1alpha1.LeadingIndicatorSpec{HistoryLimit: ptr.To[int32](5), FailureLimit: ptr.To[int32](1)}, history: 5, failures: 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			g.Expect(health.HistoryLimit(tc.spec)).To(Equal(tc.history))
			g.Expect(failureLimit(tc.spec)).To(Equal(tc.failures))
		})
	}
}
