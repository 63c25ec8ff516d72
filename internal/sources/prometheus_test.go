package sources

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/outbound"
)

func TestPrometheus(t *testing.T) {
	addr := startPrometheus(t)
	m := Measurer{Policy: loopbackPolicy(t)}
	tests := []struct {
		name      string
		query     string
		want      v1alpha1.Decimal
		wantClass string
		wantErr   string
	}{
		{name: "vector of one sample", query: "vector(66.5)", want: "66.5"},
		{name: "scalar", query: "scalar(vector(4.3))", want: "4.3"},
		{name: "plain number literal", query: "42", want: "42"},
		{name: "negative", query: "-vector(0.25)", want: "-0.25"},
		{name: "two samples", query: `vector(1) or label_replace(vector(2), "x", "y", "", "")`, wantClass: ClassBadResponse, wantErr: "query returned 2 samples; it must return one"},
		{name: "no samples", query: "sum(nonexistent_metric)", wantClass: ClassBadResponse, wantErr: "query returned 0 samples; it must return one"},
		{name: "NaN", query: "vector(0) / 0", wantClass: ClassBadResponse, wantErr: "NaN"},
		{name: "infinity", query: "vector(1) / 0", wantClass: ClassBadResponse, wantErr: "infinite"},
		{name: "matrix", query: "vector(1)[5m:1m]", wantClass: ClassBadResponse, wantErr: "query returned a matrix"},
		{name: "string", query: `"hello"`, wantClass: ClassBadResponse, wantErr: "query returned a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.Prometheus(context.Background(), &v1alpha1.PrometheusSource{Address: addr, Query: tt.query}, nil)
			if tt.wantClass == "" {
				if err != nil {
					t.Fatalf("Prometheus() error = %v", err)
				}
				if got != tt.want {
					t.Fatalf("Prometheus() = %q, want %q", got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Prometheus() = %q, want a %s error", got, tt.wantClass)
			}
			if c := ClassOf(err); c != tt.wantClass {
				t.Errorf("class = %q, want %q (error %q)", c, tt.wantClass, err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
		})
	}
}

// TestPrometheusServerRejectsQuery checks that the server's own verdict on
// a query (400 bad_data or 422 execution, with a JSON body) is reported with
// its errorType and status. Queries are not pre-parsed: the server decides.
func TestPrometheusServerRejectsQuery(t *testing.T) {
	addr := startPrometheus(t)
	m := Measurer{Policy: loopbackPolicy(t)}
	tests := []struct {
		query, class, errorType, status string
	}{
		{"sum(rate(x[5m]", ClassInvalidSpec, "(bad_data)", "400 Bad Request"},
		{"nosuchfunction(up)", ClassInvalidSpec, "(bad_data)", "400 Bad Request"},
		{`label_replace(vector(1), "a", "b", "c", "(")`, ClassSourceUnavailable, "(execution)", "422 Unprocessable Entity"},
	}
	for _, tt := range tests {
		_, err := m.Prometheus(context.Background(), &v1alpha1.PrometheusSource{Address: addr, Query: tt.query}, nil)
		if err == nil {
			t.Fatalf("%s: want an error", tt.query)
		}
		if ClassOf(err) != tt.class || !strings.Contains(err.Error(), tt.errorType) || !strings.Contains(err.Error(), tt.status) {
			t.Errorf("%s: error = %v (class %q), want %s %s %s", tt.query, err, ClassOf(err), tt.class, tt.errorType, tt.status)
		}
		if len(err.Error()) > 400 {
			t.Errorf("%s: error is not bounded: %d bytes", tt.query, len(err.Error()))
		}
	}
}

// TestPrometheusBearerToken puts an authenticating reverse proxy in front of
// Prometheus, under a path prefix, and reads the token from a Secret.
func TestPrometheusBearerToken(t *testing.T) {
	const token = "s3cr3t-t0ken"
	target, err := url.Parse(startPrometheus(t))
	if err != nil {
		t.Fatal(err)
	}
	upstream := httputil.NewSingleHostReverseProxy(target)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if !strings.HasPrefix(r.URL.Path, "/prom/") {
			http.NotFound(w, r)
			return
		}
		r.URL.Path = strings.TrimPrefix(r.URL.Path, "/prom")
		upstream.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)

	m := Measurer{Policy: loopbackPolicy(t)}
	secrets := fakeSecrets(
		secret("prom-token", v1alpha1.PurposePrometheusToken, map[string]string{"token": token + "\n"}),
		secret("wrong-token", v1alpha1.PurposePrometheusToken, map[string]string{"token": "nope"}),
		secret("all-hands-webhook", v1alpha1.PurposeChannel, map[string]string{"address": "https://hooks.example/" + token}),
		secret("survey-headers", v1alpha1.PurposeHTTPHeaders, map[string]string{"token": token}),
		withAllowedHosts(secret("elsewhere", v1alpha1.PurposePrometheusToken, map[string]string{"token": token}), "prometheus.example.com"),
		secret("blank-token", v1alpha1.PurposePrometheusToken, map[string]string{"token": " \n"}),
	)
	src := func(name, key string) *v1alpha1.PrometheusSource {
		s := &v1alpha1.PrometheusSource{Address: proxy.URL + "/prom", Query: "vector(66.5)"}
		if name != "" {
			s.BearerTokenSecretRef = &v1alpha1.SecretKeySelector{Name: name, Key: key}
		}
		return s
	}

	got, err := m.Prometheus(context.Background(), src("prom-token", "token"), secrets)
	if err != nil || got != "66.5" {
		t.Fatalf("with token: %q, %v", got, err)
	}

	for _, tc := range []struct {
		name, secret, key, class, msg string
	}{
		{"no token", "", "", ClassSourceUnavailable, "server answered 401 Unauthorized"},
		{"wrong token", "wrong-token", "token", ClassSourceUnavailable, "server answered 401 Unauthorized"},
		{"missing Secret", "absent", "token", ClassSecretNotFound, `Secret "absent" not found`},
		{"missing key", "prom-token", "other", ClassSecretNotFound, `Secret "prom-token" has no key "other"`},
		{"channel Secret as token", "all-hands-webhook", "address", ClassSecretNotUsable, "Secret all-hands-webhook is labelled usable-for=channel; label it culture.momentum.dev/usable-for=prometheus-token"},
		{"headers Secret as token", "survey-headers", "token", ClassSecretNotUsable, "is labelled usable-for=http-headers"},
		{"host not allowed", "elsewhere", "token", ClassSecretNotUsable, "allowed-hosts"},
		{"blank token: the Secret's fault", "blank-token", "token", ClassSecretNotUsable, `Secret "blank-token" key "token" does not hold a valid bearer token`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.Prometheus(context.Background(), src(tc.secret, tc.key), secrets)
			if ClassOf(err) != tc.class || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error = %v (class %q), want %s %q", err, ClassOf(err), tc.class, tc.msg)
			}
			if strings.Contains(err.Error(), token) {
				t.Fatalf("error leaks the token: %q", err)
			}
		})
	}
}

func TestPrometheusPolicy(t *testing.T) {
	// Unreachable through the default policy: loopback over http.
	_, err := Measurer{}.Prometheus(context.Background(), &v1alpha1.PrometheusSource{Address: "http://127.0.0.1:9090", Query: "up"}, nil)
	// --allow-http-host could allow it: not the spec's fault alone.
	if outbound.ClassOf(err) != outbound.ClassScheme || ClassOf(err) != ClassRefused {
		t.Fatalf("error = %v", err)
	}
	_, err = Measurer{}.Prometheus(context.Background(), &v1alpha1.PrometheusSource{Address: "ftp://prom.example", Query: "up"}, nil)
	if ClassOf(err) != ClassInvalidSpec {
		t.Fatalf("no flag allows ftp: %v", err)
	}
	_, err = Measurer{}.Prometheus(context.Background(), &v1alpha1.PrometheusSource{Address: "https://prom.example/?x=1", Query: "up"}, nil)
	if ClassOf(err) != ClassInvalidSpec {
		t.Fatalf("address with query: %v", err)
	}
}

// TestParsePromResponse covers answers a healthy server does not give.
func TestParsePromResponse(t *testing.T) {
	tests := []struct {
		name, body string
		code       int
		want       v1alpha1.Decimal
		class, msg string
	}{
		{name: "proxy error page", code: 502, body: "<html>bad gateway</html>", class: ClassSourceUnavailable, msg: "server answered 502 Bad Gateway"},
		{name: "not the API", code: 200, body: `{"hello":1}`, class: ClassBadResponse, msg: "not a Prometheus API answer"},
		{name: "unavailable", code: 503, body: `{"status":"error","errorType":"unavailable","error":"shutting down"}`, class: ClassSourceUnavailable, msg: "query failed (unavailable), server answered 503 Service Unavailable"},
		{name: "server error text stays out (it is response body)", code: 422, body: `{"status":"error","errorType":"execution","error":"` + strings.Repeat("x", 500) + `"}`, class: ClassSourceUnavailable, msg: "query failed (execution), server answered 422 Unprocessable Entity"},
		{name: "plus sign normalised", code: 200, body: `{"status":"success","data":{"resultType":"scalar","result":[1,"+5"]}}`, want: "5"},
		{name: "leading dot normalised", code: 200, body: `{"status":"success","data":{"resultType":"scalar","result":[1,".5"]}}`, want: "0.5"},
		{name: "histogram", code: 200, body: `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"histogram":[1,{"count":"1"}]}]}}`, class: ClassBadResponse, msg: "native histogram"},
		{name: "+Inf", code: 200, body: `{"status":"success","data":{"resultType":"scalar","result":[1,"+Inf"]}}`, class: ClassBadResponse, msg: "infinite"},
		{name: "overflow", code: 200, body: `{"status":"success","data":{"resultType":"scalar","result":[1,"1e400"]}}`, class: ClassBadResponse, msg: "infinite"},
		{name: "garbage value", code: 200, body: `{"status":"success","data":{"resultType":"scalar","result":[1,"abc"]}}`, class: ClassBadResponse, msg: "not a number"},
		{name: "numeric value", code: 200, body: `{"status":"success","data":{"resultType":"scalar","result":[1,2]}}`, class: ClassBadResponse, msg: "not a string"},
		{name: "exponent kept", code: 200, body: `{"status":"success","data":{"resultType":"scalar","result":[1,"1e+21"]}}`, want: "1e+21"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePromResponse(&outbound.Response{StatusCode: tt.code, Body: []byte(tt.body)})
			if tt.class == "" {
				if err != nil || got != tt.want {
					t.Fatalf("= %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if ClassOf(err) != tt.class || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("error = %v (class %q), want %s %q", err, ClassOf(err), tt.class, tt.msg)
			}
			if len(err.Error()) > 400 {
				t.Errorf("error is not bounded: %d bytes", len(err.Error()))
			}
		})
	}
}
