package bench

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"k8s.io/client-go/rest"
)

// writeVerbs are the verbs of apiserver_request_total that change state.
var writeVerbs = map[string]bool{"POST": true, "PUT": true, "PATCH": true, "APPLY": true, "DELETE": true, "DELETECOLLECTION": true}

// requests is the API server's own count of write requests, by
// "VERB resource[/subresource]" (plus the code, when it is not 2xx), from
// apiserver_request_total.
type requests map[string]float64

// apiWrites reads apiserver_request_total from the API server's /metrics.
// Leases are left out: the API server renews its own identity lease every
// few seconds, and the benchmark's manager runs without leader election.
func apiWrites(ctx context.Context, b *testing.B, cfg *rest.Config) requests {
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		b.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(cfg.Host, "/")+"/metrics", nil)
	if err != nil {
		b.Fatal(err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		b.Fatalf("reading the API server's metrics: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		b.Fatalf("parsing the API server's metrics: %v", err)
	}
	out := requests{}
	fam := fams["apiserver_request_total"]
	if fam == nil {
		b.Fatal("the API server's metrics have no apiserver_request_total")
	}
	for _, m := range fam.GetMetric() {
		l := map[string]string{}
		for _, p := range m.GetLabel() {
			l[p.GetName()] = p.GetValue()
		}
		if !writeVerbs[l["verb"]] || l["resource"] == "leases" {
			continue
		}
		key := l["verb"] + " " + l["resource"]
		if l["subresource"] != "" {
			key += "/" + l["subresource"]
		}
		if !strings.HasPrefix(l["code"], "2") {
			key += " " + l["code"] // refused: a conflict (409) costs a read, not a write
		}
		out[key] += m.GetCounter().GetValue()
	}
	return out
}

// since is how many writes of each kind happened between then and r.
func (r requests) since(then requests) requests {
	out := requests{}
	for k, v := range r {
		if d := v - then[k]; d > 0 {
			out[k] = d
		}
	}
	return out
}

// total sums the successful writes whose key contains any of the given
// substrings (all successful writes when none are given).
func (r requests) total(match ...string) float64 {
	var sum float64
	for k, v := range r {
		if strings.Count(k, " ") > 1 {
			continue
		}
		if len(match) == 0 || slices.ContainsFunc(match, func(m string) bool { return strings.Contains(k, m) }) {
			sum += v
		}
	}
	return sum
}

func (r requests) String() string {
	parts := make([]string, 0, len(r))
	for _, k := range slices.Sorted(maps.Keys(r)) {
		parts = append(parts, fmt.Sprintf("%s=%.0f", k, r[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}
