package controllers_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// repeat is a JSON list of n copies of item.
func repeat(item string, n int) string {
	return "[" + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + "]"
}

// TestAPIServerRejectsBadManifests: the real API server rejects each bad
// manifest whole, naming the field. Every duration and timestamp is checked
// with the parser the manager decodes it with, so nothing accepted here can
// stop the manager's cache.
func TestAPIServerRejectsBadManifests(t *testing.T) {
	ns := namespace(t)
	bases := richObjects(ns)
	long := func(n int) string { return strconv.Quote(strings.Repeat("x", n)) }
	cases := map[string]struct {
		base, path, value string
		// want is a part of the API server's message: the field and why.
		want string
	}{
		// Initiative: durations.
		"momentumWindow overflows time.Duration": {"initiative", "spec.momentumWindow", `"9999999999999h"`, "spec.momentumWindow: Invalid value"},
		"momentumWindow beyond ten years":        {"initiative", "spec.momentumWindow", `"87601h"`, "spec.momentumWindow: Invalid value: \"87601h\": must be a duration such as 720h or 90m, at most 87600h"},
		"momentumWindow in days":                 {"initiative", "spec.momentumWindow", `"5d"`, "spec.momentumWindow: Invalid value: \"5d\""},
		"momentumWindow negative":                {"initiative", "spec.momentumWindow", `"-5m"`, "spec.momentumWindow: Invalid value: \"-5m\""},
		"momentumWindow far too long a string":   {"initiative", "spec.momentumWindow", long(40), "spec.momentumWindow: Too long"},
		"targetDuration overflows":               {"initiative", "spec.stages[0].targetDuration", `"2562048h"`, "spec.stages[0].targetDuration: Invalid value"},
		"minDuration overflows":                  {"initiative", "spec.stages[0].exitCriteria.minDuration", `"99999999999999999999s"`, "spec.stages[0].exitCriteria.minDuration: Invalid value"},
		"minDuration with an unknown unit":       {"initiative", "spec.stages[0].exitCriteria.minDuration", `"1w"`, "spec.stages[0].exitCriteria.minDuration: Invalid value"},
		// Initiative: everything else.
		"stage name with a digit first":      {"initiative", "spec.stages[0].name", `"1st"`, "spec.stages[0].name: Invalid value: \"1st\""},
		"eleven stages":                      {"initiative", "spec.stages", repeat(`{"name":"S"}`, 11), "spec.stages: Too many: 11: must have at most 10 items"},
		"twenty-one sponsors":                {"initiative", "spec.sponsors", repeat(`{"name":"P"}`, 21), "spec.sponsors: Too many: 21"},
		"sponsor without a name":             {"initiative", "spec.sponsors[0].name", `""`, "spec.sponsors[0].name: Invalid value"},
		"behavior name with capitals":        {"initiative", "spec.behaviors[0].name", `"Close_The_Loop"`, "spec.behaviors[0].name: Invalid value"},
		"why too long":                       {"initiative", "spec.why", long(2049), "spec.why: Too long"},
		"suspend is not a boolean":           {"initiative", "spec.suspend", `"yes"`, "spec.suspend: Invalid value: \"string\""},
		"unknown approval policy":            {"initiative", "spec.stages[0].exitCriteria.approval", `"Maybe"`, "spec.stages[0].exitCriteria.approval: Unsupported value: \"Maybe\""},
		"unknown gate health":                {"initiative", "spec.stages[0].exitCriteria.indicators[0].health", `"Great"`, "spec.stages[0].exitCriteria.indicators[0].health: Unsupported value"},
		"trend gate over one sample":         {"initiative", "spec.stages[0].exitCriteria.indicators[0].trendSamples", `1`, "spec.stages[0].exitCriteria.indicators[0].trendSamples: Invalid value: 1"},
		"trendSamples beyond int32":          {"initiative", "spec.stages[0].exitCriteria.indicators[0].trendSamples", `4294967296`, "spec.stages[0].exitCriteria.indicators[0].trendSamples: Invalid value"},
		"improvement in percent and points":  {"initiative", "spec.stages[0].exitCriteria.indicators[0].improvement", `{"percent":10,"points":5}`, "improvement must set exactly one of percent or points"},
		"approval of an undeclared stage":    {"initiative", "spec.approvals[0].stage", `"Piloting"`, "spec.approvals: Invalid value"},
		"reminder schedule in words":         {"initiative", "spec.reminders[0].schedule", `"every monday"`, "spec.reminders[0].schedule: Invalid value"},
		"reminder in an unknown time zone":   {"initiative", "spec.reminders[0].timeZone", `"Mars/Olympus_Mons"`, "spec.reminders[0].timeZone: Invalid value"},
		"reminder name with capitals":        {"initiative", "spec.reminders[0].name", `"Weekly"`, "spec.reminders[0].name: Invalid value"},
		"reminder message too long":          {"initiative", "spec.reminders[0].message", long(4097), "spec.reminders[0].message: Too long"},
		"eleven reminders":                   {"initiative", "spec.reminders", repeat(`{"name":"r","schedule":"@weekly","channel":"c","message":"m"}`, 11), "spec.reminders: Too many: 11"},
		"celebrations to a bad channel name": {"initiative", "spec.celebrations.channel", `"All Hands"`, "spec.celebrations.channel: Invalid value"},
		"name too long for its children":     {"initiative", "metadata.name", strconv.Quote(strings.Repeat("a", 64)), "metadata.name must be at most 63 characters"},
		// LeadingIndicator: timestamps and durations.
		"sample time with junk after the zone": {"indicator", "spec.samples[0].at", `"2026-01-01T00:00:00ZTjunk"`, "spec.samples[0].at: Invalid value: \"string\": type conversion error from 'string' to 'google.protobuf.Timestamp' evaluating rule: must be an RFC 3339 time"},
		"sample time with a +25:00 offset":     {"indicator", "spec.samples[0].at", `"2026-01-01T00:00:00+25:00"`, "spec.samples[0].at: Invalid value"},
		"sample time in lowercase":             {"indicator", "spec.samples[0].at", `"2026-01-01t00:00:00z"`, "spec.samples[0].at: Invalid value"},
		"sample date without a time":           {"indicator", "spec.samples[0].at", `"2026-01-01"`, "spec.samples[0].at: Invalid value"},
		"sample time on February 30th":         {"indicator", "spec.samples[0].at", `"2026-02-30T00:00:00Z"`, "spec.samples[0].at: Invalid value"},
		"sample time far too long":             {"indicator", "spec.samples[0].at", long(65), "spec.samples[0].at: Too long"},
		"freshness overflows":                  {"indicator", "spec.freshness", `"9999999999999h"`, "spec.freshness: Invalid value"},
		"sample value that is not a number":    {"indicator", "spec.samples[0].value", `"high"`, "spec.samples[0].value: Invalid value: \"string\""},
		// LeadingIndicator: everything else.
		"target that is not a number":  {"indicator", "spec.target.value", `"seventy"`, "spec.target.value: Invalid value: \"string\""},
		"unknown target direction":     {"indicator", "spec.target.direction", `"Up"`, "spec.target.direction: Unsupported value: \"Up\""},
		"negative at-risk margin":      {"indicator", "spec.target.atRiskMargin", `-1`, "spec.target.atRiskMargin: Invalid value: -1"},
		"unknown category":             {"indicator", "spec.category", `"Vibes"`, "spec.category: Unsupported value: \"Vibes\""},
		"behavior outside adoption":    {"indicator", "spec.behavior", `"close-the-loop"`, "spec.behavior: Invalid value"},
		"history of one":               {"indicator", "spec.historyLimit", `1`, "spec.historyLimit: Invalid value: 1"},
		"history of 101":               {"indicator", "spec.historyLimit", `101`, "spec.historyLimit: Invalid value: 101"},
		"failure limit of zero":        {"indicator", "spec.failureLimit", `0`, "spec.failureLimit: Invalid value: 0"},
		"unit too long":                {"indicator", "spec.unit", long(33), "spec.unit: Too long"},
		"initiative name with a space": {"indicator", "spec.initiativeRef.name", `"customer first"`, "spec.initiativeRef.name: Invalid value"},
		"measured every millisecond":   {"live", "spec.source.http.interval", `"1ms"`, "spec.source.http.interval: Invalid value: \"1ms\": must be a duration from 30s to 24h"},
		"measured every 29 seconds":    {"live", "spec.source.http.interval", `"29s"`, "spec.source.http.interval: Invalid value"},
		"measured every 25 hours":      {"live", "spec.source.http.interval", `"25h"`, "spec.source.http.interval: Invalid value"},
		"source over ftp":              {"live", "spec.source.http.url", `"ftp://feedback.example.com/nps"`, "spec.source.http.url: Invalid value"},
		"source without a jsonPath":    {"live", "spec.source.http.jsonPath", `""`, "spec.source.http.jsonPath: Invalid value"},
		"two sources at once":          {"live", "spec.source.prometheus", `{"address":"https://prometheus.example.com","query":"up"}`, "spec.source must set exactly one of http, prometheus, recognition, commitments or assessment"},
		"prometheus every second":      {"live", "spec.source", `{"prometheus":{"address":"https://p.example.com","query":"up","interval":"1s"}}`, "spec.source.prometheus.interval: Invalid value"},
		// Channel.
		"unknown channel type":         {"channel", "spec.type", `"email"`, "spec.type: Unsupported value: \"email\""},
		"channel without a Secret":     {"channel", "spec.secretRef.name", `""`, "spec.secretRef.name: Invalid value"},
		"channel Secret name with a /": {"channel", "spec.secretRef.name", `"a/b"`, "spec.secretRef.name: Invalid value"},
		// RecognitionCampaign.
		"spotlight schedule in words":     {"campaign", "spec.schedule", `"fridays"`, "spec.schedule: Invalid value"},
		"spotlight in an unknown zone":    {"campaign", "spec.timeZone", `"Nowhere/Land"`, "spec.timeZone: Invalid value"},
		"nomination on the 45th":          {"campaign", "spec.nominations[0].at", `"2026-13-45"`, "spec.nominations[0].at: Invalid value"},
		"nomination name with capitals":   {"campaign", "spec.nominations[0].name", `"Sam"`, "spec.nominations[0].name: Invalid value"},
		"nomination without a story":      {"campaign", "spec.nominations[0].story", `""`, "spec.nominations[0].story: Invalid value"},
		"nominee name too long":           {"campaign", "spec.nominations[0].nominee", long(129), "spec.nominations[0].nominee: Too long"},
		"qualifying behavior with spaces": {"campaign", "spec.behaviors[0]", `"close the loop"`, "spec.behaviors[0]: Invalid value"},
		"reward without a name":           {"campaign", "spec.rewards[0].name", `""`, "spec.rewards[0].name: Invalid value"},
		"201 nominations":                 {"campaign", "spec.nominations", repeat(`{"name":"n","nominee":"a","nominatedBy":"b","behavior":"c","story":"s","at":"2026-11-20"}`, 201), "spec.nominations: Too many: 201"},
	}
	if len(cases) < 50 {
		t.Fatalf("%d cases; the bar is 50", len(cases))
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			u := jsonMap(g, bases[tc.base])
			g.Expect(setPath(u, tc.path, tc.value)).To(Succeed())
			obj := &unstructured.Unstructured{Object: u}
			obj.SetGroupVersionKind(v1alpha1.GroupVersion.WithKind(kindOf(bases[tc.base])))
			err := k8s.Create(context.Background(), obj, client.DryRunAll)
			g.Expect(apierrors.IsInvalid(err)).To(BeTrue(), "want Invalid, got %v", err)
			g.Expect(err.Error()).To(ContainSubstring(tc.want))
		})
	}
	// Each base itself is valid: the cases fail for what they change.
	for name, obj := range bases {
		NewWithT(t).Expect(k8s.Create(context.Background(), obj.DeepCopyObject().(client.Object), client.DryRunAll)).To(Succeed(), name)
	}
}
