package metrics

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
	"sigs.k8s.io/yaml"
)

// The alert rules and the dashboard ship as text; these tests parse every
// expression in them with Prometheus' own parser and check that each metric
// they select is one the collector exports, so a renamed metric cannot leave
// a silent alert or an empty panel behind.

var (
	rulesFile     = filepath.Join("..", "..", "config", "prometheus", "prometheusrule.yaml")
	dashboardFile = filepath.Join("..", "..", "config", "grafana", "momentum-dashboard.json")
)

var fqName = regexp.MustCompile(`fqName: "([^"]+)"`)

// describedNames are the metric names the collector's descriptors announce.
func describedNames(t *testing.T, c prometheus.Collector) []string {
	t.Helper()
	ch := make(chan *prometheus.Desc)
	go func() {
		c.Describe(ch)
		close(ch)
	}()
	var names []string
	for d := range ch {
		m := fqName.FindStringSubmatch(d.String())
		if m == nil {
			t.Fatalf("no fqName in %s", d)
		}
		names = append(names, m[1])
	}
	slices.Sort(names)
	return names
}

// selectedMetrics parses a PromQL expression and returns the metric name of
// every vector selector in it, matrix selectors and subqueries included.
func selectedMetrics(expr string) ([]string, error) {
	ast, err := parser.NewParser(parser.Options{}).ParseExpr(expr)
	if err != nil {
		return nil, err
	}
	var names []string
	parser.Inspect(ast, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		name := vs.Name
		for _, m := range vs.LabelMatchers {
			if m.Name == model.MetricNameLabel && m.Type == labels.MatchEqual {
				name = m.Value
			}
		}
		if name == "" {
			// A regex over names cannot be checked: spell names out.
			err = fmt.Errorf("selector %s names no metric", vs)
		}
		names = append(names, name)
		return nil
	})
	return names, err
}

// unknownMetrics returns the metrics expr selects that are not in known.
func unknownMetrics(expr string, known []string) ([]string, error) {
	names, err := selectedMetrics(expr)
	if err != nil {
		return nil, err
	}
	var unknown []string
	for _, n := range names {
		if !slices.Contains(known, n) {
			unknown = append(unknown, n)
		}
	}
	return unknown, nil
}

// grafanaVars are example values of the variables the dashboard may use.
var grafanaVars = map[string]string{
	"namespace":       "culture",
	"initiative":      "customer-first",
	"__rate_interval": "5m",
	"__interval":      "1m",
	"__range":         "1h",
}

var grafanaVar = regexp.MustCompile(`\$\{(\w+)(?::\w+)?\}|\$(\w+)`)

// expandGrafana replaces $var and ${var} (${var:format} too) with example
// values; an unknown variable is an error, as Grafana would leave it in.
func expandGrafana(expr string) (string, error) {
	var err error
	out := grafanaVar.ReplaceAllStringFunc(expr, func(v string) string {
		m := grafanaVar.FindStringSubmatch(v)
		name := m[1] + m[2]
		val, ok := grafanaVars[name]
		if !ok {
			err = fmt.Errorf("unknown Grafana variable %s", v)
		}
		return val
	})
	return out, err
}

func TestCheckerCatchesUnknownMetrics(t *testing.T) {
	known := Names()
	for _, tc := range []struct {
		expr    string
		unknown []string
		fails   bool
	}{
		{expr: `max by (namespace) (momentum_indicator_value) / momentum_indicator_target`},
		{expr: `rate(momentum_indicator_valeu[5m]) > 0 and momentum_initiative_ready`, unknown: []string{"momentum_indicator_valeu"}},
		{expr: `max_over_time({__name__="momentum_initiative_stages"}[1h:5m])`, unknown: []string{"momentum_initiative_stages"}},
		{expr: `time() - momentum_delivery_last_success_timestamp_seconds offset 1d`},
		{expr: `{__name__=~"momentum_.+"}`, fails: true},
		{expr: `max by (namespace (momentum_indicator_value)`, fails: true},
	} {
		unknown, err := unknownMetrics(tc.expr, known)
		if (err != nil) != tc.fails {
			t.Errorf("%s: error %v, want error: %t", tc.expr, err, tc.fails)
		}
		if !slices.Equal(unknown, tc.unknown) {
			t.Errorf("%s: unknown metrics %v, want %v", tc.expr, unknown, tc.unknown)
		}
	}
	if got, err := expandGrafana(`sum(rate(x{namespace="$namespace", initiative="${initiative}"}[$__rate_interval]))`); err != nil ||
		got != `sum(rate(x{namespace="culture", initiative="customer-first"}[5m]))` {
		t.Errorf("expandGrafana: %q, %v", got, err)
	}
	if _, err := expandGrafana(`x{namespace="$namespce"}`); err == nil {
		t.Error("expandGrafana accepted an unknown variable")
	}
}

// prometheusRule is the part of a PrometheusRule the tests read.
type prometheusRule struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Spec       struct {
		Groups json.RawMessage `json:"groups"`
	} `json:"spec"`
}

type ruleGroup struct {
	Name  string `json:"name"`
	Rules []struct {
		Alert       string            `json:"alert"`
		Record      string            `json:"record"`
		Expr        string            `json:"expr"`
		For         string            `json:"for"`
		Labels      map[string]string `json:"labels"`
		Annotations map[string]string `json:"annotations"`
	} `json:"rules"`
}

func TestPrometheusRule(t *testing.T) {
	data, err := os.ReadFile(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	var pr prometheusRule
	if err := yaml.Unmarshal(data, &pr); err != nil {
		t.Fatal(err)
	}
	if pr.APIVersion != "monitoring.coreos.com/v1" || pr.Kind != "PrometheusRule" {
		t.Fatalf("%s is a %s %s, want a monitoring.coreos.com/v1 PrometheusRule", rulesFile, pr.APIVersion, pr.Kind)
	}

	// Prometheus' own loader checks what the operator hands it: expressions,
	// durations, label names and annotation templates.
	groupsYAML, err := yaml.JSONToYAML(fmt.Appendf(nil, `{"groups":%s}`, pr.Spec.Groups))
	if err != nil {
		t.Fatal(err)
	}
	if _, errs := rulefmt.Parse(groupsYAML, false, model.UTF8Validation, parser.NewParser(parser.Options{}), slog.New(slog.DiscardHandler)); len(errs) > 0 {
		t.Fatalf("Prometheus rejects the rules: %v", errs)
	}

	var groups []ruleGroup
	if err := json.Unmarshal(pr.Spec.Groups, &groups); err != nil {
		t.Fatal(err)
	}
	var alerts []string
	for _, g := range groups {
		for _, r := range g.Rules {
			alerts = append(alerts, r.Alert)
			unknown, err := unknownMetrics(r.Expr, Names())
			if err != nil {
				t.Errorf("alert %s: %v", r.Alert, err)
			}
			if len(unknown) > 0 {
				t.Errorf("alert %s selects metrics Momentum does not export: %v", r.Alert, unknown)
			}
			if r.Labels["severity"] == "" {
				t.Errorf("alert %s has no severity label", r.Alert)
			}
			if r.Annotations["summary"] == "" || r.Annotations["description"] == "" {
				t.Errorf("alert %s needs summary and description annotations", r.Alert)
			}
		}
	}
	for _, want := range []string{"MomentumAtRisk", "IndicatorStale", "DeliveriesFailing", "IndicatorSourceUnavailable"} {
		if !slices.Contains(alerts, want) {
			t.Errorf("no alert %s; have %v", want, alerts)
		}
	}
}

// dashboard is the part of a Grafana dashboard the tests read.
type dashboard struct {
	SchemaVersion int `json:"schemaVersion"`
	Templating    struct {
		List []struct {
			Name  string          `json:"name"`
			Type  string          `json:"type"`
			Query json.RawMessage `json:"query"`
		} `json:"list"`
	} `json:"templating"`
	Panels []panel `json:"panels"`
}

type panel struct {
	ID         int        `json:"id"`
	Type       string     `json:"type"`
	Title      string     `json:"title"`
	Datasource datasource `json:"datasource"`
	Targets    []struct {
		Datasource datasource `json:"datasource"`
		Expr       string     `json:"expr"`
		RefID      string     `json:"refId"`
	} `json:"targets"`
	Panels []panel `json:"panels"` // of a collapsed row
}

type datasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

var labelValues = regexp.MustCompile(`^label_values\((.+),\s*\w+\)$`)

func TestDashboard(t *testing.T) {
	data, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	if d.SchemaVersion < 36 {
		t.Errorf("schemaVersion %d predates datasource references by uid", d.SchemaVersion)
	}
	check := func(where, expr string) {
		t.Helper()
		expanded, err := expandGrafana(expr)
		if err != nil {
			t.Errorf("%s: %v", where, err)
			return
		}
		unknown, err := unknownMetrics(expanded, Names())
		if err != nil {
			t.Errorf("%s: %q: %v", where, expanded, err)
		}
		if len(unknown) > 0 {
			t.Errorf("%s selects metrics Momentum does not export: %v", where, unknown)
		}
	}

	var vars []string
	for _, v := range d.Templating.List {
		vars = append(vars, v.Name)
		if v.Type != "query" {
			continue
		}
		var q struct {
			Query string `json:"query"`
		}
		if err := json.Unmarshal(v.Query, &q); err != nil {
			t.Fatalf("variable %s: %v", v.Name, err)
		}
		m := labelValues.FindStringSubmatch(q.Query)
		if m == nil {
			t.Errorf("variable %s: query %q is not label_values(<selector>, <label>)", v.Name, q.Query)
			continue
		}
		check("variable "+v.Name, m[1])
	}
	for _, want := range []string{"DS_PROMETHEUS", "namespace", "initiative"} {
		if !slices.Contains(vars, want) {
			t.Errorf("no template variable %s; have %v", want, vars)
		}
	}

	ids := map[int]string{}
	exprs := 0
	var walk func([]panel)
	walk = func(panels []panel) {
		for _, p := range panels {
			walk(p.Panels)
			if prev, dup := ids[p.ID]; dup {
				t.Errorf("panels %q and %q share id %d", prev, p.Title, p.ID)
			}
			ids[p.ID] = p.Title
			if p.Type == "row" {
				continue
			}
			if p.Datasource.UID != "${DS_PROMETHEUS}" {
				t.Errorf("panel %q uses data source %q, want ${DS_PROMETHEUS}", p.Title, p.Datasource.UID)
			}
			if len(p.Targets) == 0 {
				t.Errorf("panel %q has no queries", p.Title)
			}
			for _, tg := range p.Targets {
				exprs++
				check(fmt.Sprintf("panel %q query %s", p.Title, tg.RefID), tg.Expr)
			}
		}
	}
	walk(d.Panels)
	if exprs == 0 {
		t.Fatal("the dashboard has no queries")
	}
}
