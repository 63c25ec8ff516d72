package metrics

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"k8s.io/client-go/rest"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
)

// metricsPath is the path controller-runtime's metrics server serves.
const metricsPath = "/metrics"

// Serve makes the manager's metrics server answer /metrics with Handler:
// the registry's metrics (controller-runtime, workqueue, process) followed
// by every object's series, streamed. controller-runtime serves /metrics
// with promhttp and refuses an extra handler on that path, but it wraps
// /metrics in the filter of o.FilterProvider: the filter Serve installs
// routes /metrics to Handler inside o's own filter (authentication and
// authorization when the endpoint is secure), so a scrape passes the same
// checks as before.
func Serve(o *metricsserver.Options) {
	inner := o.FilterProvider
	o.FilterProvider = func(cfg *rest.Config, hc *http.Client) (metricsserver.Filter, error) {
		var filter metricsserver.Filter
		if inner != nil {
			var err error
			if filter, err = inner(cfg, hc); err != nil {
				return nil, err
			}
		}
		stream := Handler(ctrlmetrics.Registry, defaultCollector)
		return func(log logr.Logger, h http.Handler) (http.Handler, error) {
			routed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == metricsPath {
					stream.ServeHTTP(w, r)
					return
				}
				h.ServeHTTP(w, r)
			})
			if filter == nil {
				return routed, nil
			}
			return filter(log, routed)
		}, nil
	}
}

// Handler serves the metrics of registry and then the series of c's
// objects, in the text format (gzipped when the client accepts it, as
// promhttp does).
func Handler(registry prometheus.Gatherer, c *Collector) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		families, err := registry.Gather()
		if err != nil {
			// As promhttp with HTTPErrorOnError, controller-runtime's setting.
			http.Error(w, "An error has occurred while serving metrics:\n\n"+err.Error(), http.StatusInternalServerError)
			return
		}
		format := expfmt.NewFormat(expfmt.TypeTextPlain)
		w.Header().Set("Content-Type", string(format))
		var out io.Writer = w
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			w.Header().Set("Content-Encoding", "gzip")
			gz := gzip.NewWriter(w)
			defer func() { _ = gz.Close() }()
			out = gz
		}
		enc := expfmt.NewEncoder(out, format)
		for _, f := range families {
			if err = enc.Encode(f); err != nil {
				break
			}
		}
		if err == nil {
			err = c.WriteText(r.Context(), out)
		}
		if err != nil {
			c.log.Error(err, "Writing metrics failed")
		}
	})
}

// acceptsGzip reports whether an Accept-Encoding header lists gzip.
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		coding, _, _ := strings.Cut(part, ";")
		if strings.TrimSpace(coding) == "gzip" {
			return true
		}
	}
	return false
}
