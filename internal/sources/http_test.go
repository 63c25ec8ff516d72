package sources

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/outbound"
	"github.com/momentum-dev/momentum/internal/testenv"
)

const surveyJSON = `{"data":{"nps":66.5,"label":"x","big":12345678901234567890.125,"nothing":null,"text":"42",` +
	`"long":66.00000000000000000000000000000000000000000000000000000000000000001,"tiny":0e99999999,"huge":1e400},` +
	`"results":[{"score":4.3},{"score":-1e2}],"items":[{"name":"csat","value":4.1},{"name":"nps","value":31}]}`

// surveyServer answers like a survey platform. /auth requires the header
// X-Api-Key: k3y; /status/503 fails.
func surveyServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.Header.Get("Accept") != "application/json" {
			http.Error(w, "want GET with Accept: application/json", http.StatusBadRequest)
			return
		}
		switch r.URL.Path {
		case "/auth":
			if r.Header.Get("X-Api-Key") != "k3y" || r.Header.Get("X-Tenant") != "acme" {
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
		case "/status/503":
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		case "/html":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html>oops</html>"))
			return
		case "/two":
			_, _ = w.Write([]byte(`{"a":1} {"a":2}`))
			return
		case "/redirect":
			http.Redirect(w, r, "/", http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(surveyJSON))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestHTTP(t *testing.T) {
	srv := surveyServer(t)
	m := Measurer{Policy: loopbackPolicy(t)}
	headers := fakeSecrets(
		secret("survey-auth", v1alpha1.PurposeHTTPHeaders, map[string]string{"X-Api-Key": "k3y\n", "X-Tenant": "acme"}),
		secret("bad-header-name", v1alpha1.PurposeHTTPHeaders, map[string]string{"Bad Header": "v"}),
		secret("bad-header-value", v1alpha1.PurposeHTTPHeaders, map[string]string{"X-Api-Key": "a\nb"}),
		secret("all-hands-webhook", v1alpha1.PurposeChannel, map[string]string{"X-Api-Key": "k3y"}),
		legacySecret("legacy", map[string]string{"X-Api-Key": "k3y"}),
		withAllowedHosts(secret("elsewhere", v1alpha1.PurposeHTTPHeaders, map[string]string{"X-Api-Key": "k3y"}), "feedback.example.com"),
		withAllowedHosts(secret("here", v1alpha1.PurposeHTTPHeaders, map[string]string{"X-Api-Key": "k3y", "X-Tenant": "acme"}), "feedback.example.com,127.0.0.1"),
	)
	tests := []struct {
		name      string
		path      string
		jsonPath  string
		secret    string
		want      v1alpha1.Decimal
		wantClass string
		wantErr   string
	}{
		{name: "number keeps its text", path: "/", jsonPath: "{.data.nps}", want: "66.5"},
		{name: "array index", path: "/", jsonPath: "{.results[0].score}", want: "4.3"},
		{name: "exponent kept verbatim", path: "/", jsonPath: "{.results[1].score}", want: "-1e2"},
		{name: "beyond float64 precision kept exactly", path: "/", jsonPath: "{.data.big}", want: "12345678901234567890.125"},
		{name: "longer than a Decimal: the nearest float64", path: "/", jsonPath: "{.data.long}", want: "66"},
		{name: "beyond the exponent bound: the nearest float64", path: "/", jsonPath: "{.data.tiny}", want: "0"},
		{name: "beyond float64", path: "/", jsonPath: "{.data.huge}", wantClass: ClassBadResponse, wantErr: "not a finite decimal"},
		{name: "filter selecting one", path: "/", jsonPath: `{.items[?(@.name=="nps")].value}`, want: "31"},
		{name: "trailing text is a second value", path: "/", jsonPath: "{.data.nps}}", wantClass: ClassBadResponse, wantErr: "selected 2 values"},
		{name: "string is not a number", path: "/", jsonPath: "{.data.label}", wantClass: ClassBadResponse, wantErr: "jsonPath {.data.label} selected a string, not a number"},
		{name: "numeric string is not a number", path: "/", jsonPath: "{.data.text}", wantClass: ClassBadResponse, wantErr: "not a number"},
		{name: "object is not a number", path: "/", jsonPath: "{.data}", wantClass: ClassBadResponse, wantErr: "selected an object, not a number"},
		{name: "null is not a number", path: "/", jsonPath: "{.data.nothing}", wantClass: ClassBadResponse},
		{name: "missing key", path: "/", jsonPath: "{.data.missing}", wantClass: ClassBadResponse, wantErr: "jsonPath {.data.missing} selected no value"},
		{name: "index out of range", path: "/", jsonPath: "{.results[5].score}", wantClass: ClassBadResponse, wantErr: "selected no value"},
		{name: "several values", path: "/", jsonPath: "{.results[*].score}", wantClass: ClassBadResponse, wantErr: "selected 2 values"},
		{name: "invalid jsonPath", path: "/", jsonPath: "{.data[}", wantClass: ClassInvalidSpec, wantErr: "jsonPath {.data[} is invalid"},
		{name: "header from Secret", path: "/auth", jsonPath: "{.data.nps}", secret: "survey-auth", want: "66.5"},
		{name: "without the header", path: "/auth", jsonPath: "{.data.nps}", wantClass: ClassSourceUnavailable, wantErr: "server answered 401 Unauthorized"},
		{name: "missing Secret", path: "/auth", jsonPath: "{.data.nps}", secret: "nope", wantClass: ClassSecretNotFound, wantErr: `Secret "nope" not found`},
		{name: "channel Secret refused", path: "/auth", jsonPath: "{.data.nps}", secret: "all-hands-webhook", wantClass: ClassSecretNotUsable, wantErr: "Secret all-hands-webhook is labelled usable-for=channel; label it culture.momentum.dev/usable-for=http-headers"},
		{name: "legacy label refused", path: "/auth", jsonPath: "{.data.nps}", secret: "legacy", wantClass: ClassSecretNotUsable, wantErr: "accepted for channels only"},
		{name: "host not allowed", path: "/auth", jsonPath: "{.data.nps}", secret: "elsewhere", wantClass: ClassSecretNotUsable, wantErr: "allowed-hosts"},
		{name: "host allowed", path: "/auth", jsonPath: "{.data.nps}", secret: "here", want: "66.5"},
		{name: "invalid header name", path: "/", jsonPath: "{.data.nps}", secret: "bad-header-name", wantClass: ClassSecretNotUsable, wantErr: `key "Bad Header" is not a valid header name`},
		{name: "invalid header value", path: "/", jsonPath: "{.data.nps}", secret: "bad-header-value", wantClass: ClassSecretNotUsable, wantErr: "does not hold a valid header value"},
		{name: "503", path: "/status/503", jsonPath: "{.data.nps}", wantClass: ClassSourceUnavailable, wantErr: "server answered 503 Service Unavailable"},
		{name: "not JSON", path: "/html", jsonPath: "{.data.nps}", wantClass: ClassBadResponse, wantErr: "response is not valid JSON"},
		{name: "two documents", path: "/two", jsonPath: "{.a}", wantClass: ClassBadResponse, wantErr: "not a single JSON document"},
		{name: "redirect not followed", path: "/redirect", jsonPath: "{.a}", wantClass: ClassSourceUnavailable, wantErr: "redirects are not followed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &v1alpha1.HTTPSource{URL: srv.URL + tt.path, JSONPath: tt.jsonPath}
			if tt.secret != "" {
				src.HeadersSecretRef = &v1alpha1.LocalObjectReference{Name: tt.secret}
			}
			got, err := m.HTTP(context.Background(), src, headers)
			if tt.wantClass == "" {
				if err != nil {
					t.Fatalf("HTTP() error = %v", err)
				}
				if got != tt.want {
					t.Fatalf("HTTP() = %q, want %q", got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("HTTP() = %q, want a %s error", got, tt.wantClass)
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

func TestHTTPDefaultPolicyRefusesLoopback(t *testing.T) {
	srv := surveyServer(t)
	src := &v1alpha1.HTTPSource{URL: srv.URL + "/", JSONPath: "{.data.nps}"}

	_, err := Measurer{}.HTTP(context.Background(), src, nil)
	if got := outbound.ClassOf(err); got != outbound.ClassScheme {
		t.Fatalf("outbound class = %q, want %q (error %v)", got, outbound.ClassScheme, err)
	}
	// --allow-http-host could allow it: refused, but not for the spec alone.
	if got := ClassOf(err); got != ClassRefused {
		t.Errorf("class = %q, want %q", got, ClassRefused)
	}

	// Allowed over http but still loopback: refused at the address check.
	_, err = Measurer{Policy: outbound.Policy{AllowHTTPHosts: []string{"127.0.0.1"}}}.HTTP(context.Background(), src, nil)
	if got := outbound.ClassOf(err); got != outbound.ClassBlockedAddress || ClassOf(err) != ClassRefused {
		t.Fatalf("outbound class = %q, class %q, want %q and %q (error %v)", got, ClassOf(err), outbound.ClassBlockedAddress, ClassRefused, err)
	}

	// Credentials in the URL: no flag allows them.
	_, err = Measurer{}.HTTP(context.Background(), &v1alpha1.HTTPSource{URL: "https://u:p@survey.example.com/", JSONPath: "{.a}"}, nil)
	if got := ClassOf(err); got != ClassInvalidSpec {
		t.Errorf("credentials: class = %q, want %q", got, ClassInvalidSpec)
	}
}

func TestHTTPUnreachableIsRetryable(t *testing.T) {
	addr, err := testenv.FreeAddr() // nothing listens there any more
	if err != nil {
		t.Fatal(err)
	}
	src := &v1alpha1.HTTPSource{URL: "http://" + addr + "/", JSONPath: "{.a}"}
	_, err = Measurer{Policy: loopbackPolicy(t)}.HTTP(context.Background(), src, nil)
	var oe *outbound.Error
	if !errors.As(err, &oe) || !oe.Retryable() || ClassOf(err) != ClassSourceUnavailable {
		t.Fatalf("error = %v, want a retryable SourceUnavailable outbound error", err)
	}
}

// TestHTTPNeverLeaksSecrets plants a canary in a header value, the URL's
// query string and the response body, and checks no error repeats it.
func TestHTTPNeverLeaksSecrets(t *testing.T) {
	const canary = "CANARY-7f3b9c"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/string":
			_, _ = w.Write([]byte(`{"v":"` + canary + `"}`))
		case "/object":
			_, _ = w.Write([]byte(`{"v":{"` + canary + `":1}}`))
		case "/filter":
			_, _ = w.Write([]byte(`{"v":"` + canary + `"}`))
		case "/invalid":
			_, _ = w.Write([]byte(canary + `{"v":1}`))
		case "/trailing":
			_, _ = w.Write([]byte(`{"v":1}` + canary))
		case "/status":
			http.Error(w, canary, http.StatusInternalServerError)
		case "/redirect":
			http.Redirect(w, r, "/"+canary, http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	secrets := fakeSecrets(
		secret("h", v1alpha1.PurposeHTTPHeaders, map[string]string{"Authorization": "Bearer " + canary}),
		secret("bad", v1alpha1.PurposeHTTPHeaders, map[string]string{"Authorization": canary + "\x00"}),
	)
	m := Measurer{Policy: loopbackPolicy(t)}
	cases := []struct{ path, jsonPath, secret string }{
		{"/string", "{.v}", "h"},
		{"/object", "{.v}", "h"},
		{"/filter", "{.v[?(@.x==1)]}", "h"},
		{"/invalid", "{.v}", "h"},
		{"/trailing", "{.v}", "h"},
		{"/status", "{.v}", "h"},
		{"/redirect", "{.v}", "h"},
		{"/string", "{.v}", "bad"},
		{"/string?token=" + canary, "{.missing}", "h"},
		{"/status?token=" + canary, "{.v}", "h"},
	}
	for _, c := range cases {
		src := &v1alpha1.HTTPSource{URL: srv.URL + c.path, JSONPath: c.jsonPath, HeadersSecretRef: &v1alpha1.LocalObjectReference{Name: c.secret}}
		_, err := m.HTTP(context.Background(), src, secrets)
		if err == nil {
			t.Fatalf("%s: want an error", c.path)
		}
		if strings.Contains(err.Error(), canary) {
			t.Errorf("%s: error leaks the canary: %q", c.path, err)
		}
		// Also through the refusing default policy, whose errors quote nothing.
		if _, err := (Measurer{}).HTTP(context.Background(), src, secrets); err == nil || strings.Contains(err.Error(), canary) {
			t.Errorf("%s: default policy error %v", c.path, err)
		}
	}
}

// TestSecretReadFailure reports an API failure by reason, not by the
// getter's text.
func TestSecretReadFailure(t *testing.T) {
	failing := func(context.Context, string) (*corev1.Secret, error) {
		return nil, errors.New("boom: CANARY")
	}
	src := &v1alpha1.HTTPSource{URL: "http://127.0.0.1:1/", JSONPath: "{.a}", HeadersSecretRef: &v1alpha1.LocalObjectReference{Name: "s"}}
	_, err := Measurer{Policy: loopbackPolicy(t)}.HTTP(context.Background(), src, failing)
	if err == nil || strings.Contains(err.Error(), "CANARY") || ClassOf(err) != ClassSourceUnavailable {
		t.Fatalf("error = %v", err)
	}
	if _, err := (Measurer{Policy: loopbackPolicy(t)}).HTTP(context.Background(), src, nil); ClassOf(err) != ClassSecretNotFound {
		t.Fatalf("nil getter: error = %v", err)
	}
}
