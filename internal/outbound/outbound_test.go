package outbound

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}

func TestParseCIDRs(t *testing.T) {
	tests := map[string]struct {
		in      []string
		want    []string
		wantErr bool
	}{
		"ranges are masked":    {in: []string{"127.0.0.1/8", "fd00::/8"}, want: []string{"127.0.0.0/8", "fd00::/8"}},
		"bare IPs are single":  {in: []string{"10.1.2.3", "::1"}, want: []string{"10.1.2.3/32", "::1/128"}},
		"empty values skipped": {in: []string{"", " "}, want: []string{}},
		"garbage is an error":  {in: []string{"10.0.0.0/99"}, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ParseCIDRs(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if tc.wantErr {
				return
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i].String() != tc.want[i] {
					t.Errorf("got[%d] = %s, want %s", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestValidateURL(t *testing.T) {
	all := []netip.Prefix{
		netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("169.254.0.0/16"),
		netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128"),
	}
	tests := map[string]struct {
		url       string
		policy    Policy
		wantClass string // "" means valid
	}{
		"https":                            {url: "https://hooks.example.com/services/x?token=y"},
		"https uppercase scheme":           {url: "HTTPS://hooks.example.com/x"},
		"http refused":                     {url: "http://hooks.example.com/x", wantClass: ClassScheme},
		"http allowed host":                {url: "http://hooks.internal/x", policy: Policy{AllowHTTPHosts: []string{"hooks.internal"}}},
		"http allowed host:port":           {url: "http://hooks.internal:8080/x", policy: Policy{AllowHTTPHosts: []string{"hooks.internal:8080"}}},
		"http other port of allowed entry": {url: "http://hooks.internal:9090/x", policy: Policy{AllowHTTPHosts: []string{"hooks.internal:8080"}}, wantClass: ClassScheme},
		"http other host":                  {url: "http://other.internal/x", policy: Policy{AllowHTTPHosts: []string{"hooks.internal"}}, wantClass: ClassScheme},
		"ftp refused":                      {url: "ftp://hooks.example.com/x", wantClass: ClassScheme},
		"relative refused":                 {url: "/services/x", wantClass: ClassScheme},
		"userinfo refused":                 {url: "https://user:pass@hooks.example.com/x", wantClass: ClassInvalidURL},
		"user only refused":                {url: "https://user@hooks.example.com/x", wantClass: ClassInvalidURL},
		"no host":                          {url: "https:///x", wantClass: ClassInvalidURL},
		"opaque":                           {url: "https:hooks.example.com", wantClass: ClassInvalidURL},
		"unparsable":                       {url: "https://hooks.example.com/%zz", wantClass: ClassInvalidURL},
		"public IP literal":                {url: "https://93.184.215.14/x"},
		"loopback":                         {url: "https://127.0.0.1/x", wantClass: ClassBlockedAddress},
		"loopback other":                   {url: "https://127.8.9.10:8443/x", wantClass: ClassBlockedAddress},
		"metadata":                         {url: "https://169.254.169.254/latest/meta-data", wantClass: ClassBlockedAddress},
		"private 10":                       {url: "https://10.0.0.1/x", wantClass: ClassBlockedAddress},
		"private 172":                      {url: "https://172.16.5.4/x", wantClass: ClassBlockedAddress},
		"private 192":                      {url: "https://192.168.1.1/x", wantClass: ClassBlockedAddress},
		"cgnat":                            {url: "https://100.64.0.1/x", wantClass: ClassBlockedAddress},
		"unspecified":                      {url: "https://0.0.0.0/x", wantClass: ClassBlockedAddress},
		"broadcast":                        {url: "https://255.255.255.255/x", wantClass: ClassBlockedAddress},
		"multicast":                        {url: "https://224.0.0.1/x", wantClass: ClassBlockedAddress},
		"ipv6 loopback":                    {url: "https://[::1]/x", wantClass: ClassBlockedAddress},
		"ipv6 unspecified":                 {url: "https://[::]/x", wantClass: ClassBlockedAddress},
		"ipv6 link-local":                  {url: "https://[fe80::1%25eth0]/x", wantClass: ClassBlockedAddress},
		"ipv6 unique local":                {url: "https://[fd00::1]/x", wantClass: ClassBlockedAddress},
		"ipv4-mapped loopback":             {url: "https://[::ffff:127.0.0.1]/x", wantClass: ClassBlockedAddress},
		"ipv4-mapped metadata":             {url: "https://[::ffff:169.254.169.254]/x", wantClass: ClassBlockedAddress},
		"nat64 loopback":                   {url: "https://[64:ff9b::7f00:1]/x", wantClass: ClassBlockedAddress},
		"local-use nat64":                  {url: "https://[64:ff9b:1::a9fe:a9fe]/x", wantClass: ClassBlockedAddress},
		"ietf protocol assignments":        {url: "https://192.0.0.170/x", wantClass: ClassBlockedAddress},
		"benchmarking":                     {url: "https://198.18.0.1/x", wantClass: ClassBlockedAddress},
		"6to4 of metadata":                 {url: "https://[2002:a9fe:a9fe::1]/x", wantClass: ClassBlockedAddress},
		"teredo":                           {url: "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x", wantClass: ClassBlockedAddress},
		"allowed loopback":                 {url: "https://127.0.0.1/x", policy: Policy{AllowCIDRs: all}},
		"allowed metadata":                 {url: "https://169.254.169.254/x", policy: Policy{AllowCIDRs: all}},
		"allowed private":                  {url: "https://10.0.0.1/x", policy: Policy{AllowCIDRs: all}},
		"allowed ipv6 loopback":            {url: "https://[::1]/x", policy: Policy{AllowCIDRs: all}},
		"allowed ipv4-mapped loopback":     {url: "https://[::ffff:127.0.0.1]/x", policy: Policy{AllowCIDRs: all}},
		"allowed range is exact":           {url: "https://10.0.0.1/x", policy: Policy{AllowCIDRs: loopback}, wantClass: ClassBlockedAddress},
		"http IP needs both allowances":    {url: "http://127.0.0.1:8080/x", policy: Policy{AllowHTTPHosts: []string{"127.0.0.1"}}, wantClass: ClassBlockedAddress},
		"http IP with both allowances":     {url: "http://127.0.0.1:8080/x", policy: Policy{AllowHTTPHosts: []string{"127.0.0.1"}, AllowCIDRs: loopback}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			err := tc.policy.ValidateURL(tc.url)
			if got := ClassOf(err); got != tc.wantClass {
				t.Fatalf("class = %q (err %v), want %q", got, err, tc.wantClass)
			}
			if err != nil {
				assertNoLeak(t, err.Error(), tc.url)
			}
		})
	}
}

// assertNoLeak fails if msg contains the URL or any identifying part of it.
func assertNoLeak(t *testing.T, msg, raw string) {
	t.Helper()
	parts := []string{raw}
	if u, err := url.Parse(raw); err == nil {
		parts = append(parts, u.Host, u.Hostname(), u.Port(), u.RawQuery, u.Path)
	}
	for _, p := range parts {
		if len(p) > 2 && strings.Contains(msg, p) {
			t.Errorf("error %q leaks %q", msg, p)
		}
	}
}

func newRequest(t *testing.T, raw string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, raw, strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// localhostURL points at srv through the hostname "localhost", so only the
// dial-time check can catch it.
func localhostURL(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = "localhost:" + u.Port()
	return u.String()
}

func TestDoLoopbackServer(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
	}))
	defer tlsSrv.Close()

	tests := map[string]struct {
		policy    Policy
		url       string
		wantClass string
	}{
		"default policy refuses http loopback": {url: srv.URL, wantClass: ClassScheme},
		"http allowed but loopback blocked":    {url: srv.URL, policy: Policy{AllowHTTPHosts: []string{"127.0.0.1"}}, wantClass: ClassBlockedAddress},
		"localhost resolves to loopback, blocked at dial": {
			url: localhostURL(t, srv), policy: Policy{AllowHTTPHosts: []string{"localhost"}}, wantClass: ClassBlockedAddress,
		},
		"default policy, https localhost blocked at dial": {url: localhostURL(t, tlsSrv), wantClass: ClassBlockedAddress},
		"reached when allowed":                            {url: srv.URL, policy: Policy{AllowHTTPHosts: []string{"127.0.0.1"}, AllowCIDRs: loopback}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			before := hits.Load()
			resp, err := tc.policy.Do(context.Background(), newRequest(t, tc.url))
			if got := ClassOf(err); got != tc.wantClass {
				t.Fatalf("class = %q (err %v), want %q", got, err, tc.wantClass)
			}
			if tc.wantClass != "" {
				assertNoLeak(t, err.Error(), tc.url)
				if hits.Load() != before {
					t.Errorf("server was reached despite the refusal")
				}
				return
			}
			if resp.StatusCode != http.StatusOK || string(resp.Body) != "ok" {
				t.Errorf("response = %d %q, want 200 ok", resp.StatusCode, resp.Body)
			}
		})
	}
}

// TestClientBlocksAtDial bypasses Do's static check: the dialer alone must
// refuse the loopback IP.
func TestClientBlocksAtDial(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()

	for name, raw := range map[string]string{"ip literal": srv.URL, "localhost": localhostURL(t, srv)} {
		t.Run(name, func(t *testing.T) {
			resp, err := Policy{}.Client().Get(raw)
			if err == nil {
				_ = resp.Body.Close()
				t.Fatal("loopback server was reached")
			}
			if got := ClassOf(err); got != ClassBlockedAddress {
				t.Errorf("class = %q (err %v), want %q", got, err, ClassBlockedAddress)
			}
			// The classified error itself is what callers show; it is URL-free.
			assertNoLeak(t, classify(err).Error(), raw)
		})
	}
	if hits.Load() != 0 {
		t.Errorf("server hit %d times", hits.Load())
	}
}

func TestClientHasNoProxy(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:1")
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:1")
	tr, ok := Policy{}.Client().Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport is %T", Policy{}.Client().Transport)
	}
	if tr.Proxy != nil {
		t.Error("transport uses a proxy")
	}
}

func TestDoDoesNotFollowRedirects(t *testing.T) {
	var targetHit atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("/target", func(http.ResponseWriter, *http.Request) { targetHit.Store(true) })
	mux.HandleFunc("/start", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/target", http.StatusTemporaryRedirect)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	p := Policy{AllowHTTPHosts: []string{"127.0.0.1"}, AllowCIDRs: loopback}

	_, err := p.Do(context.Background(), newRequest(t, srv.URL+"/start"))
	var oe *Error
	if !errors.As(err, &oe) || oe.Class != ClassRedirect || oe.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("err = %#v, want a %s error with status 307", err, ClassRedirect)
	}
	if !oe.Refused() || oe.Retryable() {
		t.Error("a redirect must be a refusal, not retryable")
	}
	assertNoLeak(t, err.Error(), srv.URL+"/target")
	if targetHit.Load() {
		t.Error("redirect target was requested")
	}
}

func TestDoCapsBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("x", 1<<20)))
	}))
	defer srv.Close()
	base := Policy{AllowHTTPHosts: []string{"127.0.0.1"}, AllowCIDRs: loopback}

	tests := map[string]struct {
		max  int64
		want int
	}{
		"default cap": {max: 0, want: int(DefaultMaxBodyBytes)},
		"custom cap":  {max: 1000, want: 1000},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p := base
			p.MaxBodyBytes = tc.max
			resp, err := p.Do(context.Background(), newRequest(t, srv.URL))
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Body) != tc.want {
				t.Errorf("body length = %d, want %d", len(resp.Body), tc.want)
			}
		})
	}
}

func TestDoTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		select {
		case <-release:
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	defer close(release)
	p := Policy{AllowHTTPHosts: []string{"127.0.0.1"}, AllowCIDRs: loopback, Timeout: 200 * time.Millisecond}

	start := time.Now()
	_, err := p.Do(context.Background(), newRequest(t, srv.URL+"/slow?token=secret"))
	if got := ClassOf(err); got != ClassTimeout {
		t.Fatalf("class = %q (err %v), want %q", got, err, ClassTimeout)
	}
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("timeout took %s", elapsed)
	}
	var oe *Error
	if errors.As(err, &oe) && !oe.Retryable() {
		t.Error("a timeout must be retryable")
	}
	assertNoLeak(t, err.Error(), srv.URL+"/slow?token=secret")
}

func TestDoConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	raw := srv.URL + "/gone?token=secret"
	srv.Close()
	p := Policy{AllowHTTPHosts: []string{"127.0.0.1"}, AllowCIDRs: loopback}

	_, err := p.Do(context.Background(), newRequest(t, raw))
	if got := ClassOf(err); got != ClassConnection {
		t.Fatalf("class = %q (err %v), want %q", got, err, ClassConnection)
	}
	assertNoLeak(t, err.Error(), raw)
}

func TestStatusError(t *testing.T) {
	tests := map[string]struct {
		code      int
		retryable bool
	}{
		"503": {code: 503, retryable: true},
		"500": {code: 500, retryable: true},
		"429": {code: 429, retryable: true},
		"404": {code: 404},
		"400": {code: 400},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			e := StatusError(tc.code)
			if e.Retryable() != tc.retryable || e.Refused() {
				t.Errorf("Retryable = %v, Refused = %v", e.Retryable(), e.Refused())
			}
			if !strings.Contains(e.Error(), name) {
				t.Errorf("message %q does not mention %s", e.Error(), name)
			}
		})
	}
}
