package outbound

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestLiftable: only refusals that the policy's exceptions or DNS decide
// may be lifted without changing the URL.
func TestLiftable(t *testing.T) {
	tests := map[string]struct {
		url      string
		liftable bool
	}{
		"plain http: --allow-http-host":      {url: "http://hooks.internal/x", liftable: true},
		"a blocked IP literal: --allow-cidr": {url: "https://10.0.0.1/x", liftable: true},
		"another scheme":                     {url: "ftp://hooks.example.com/x"},
		"no scheme":                          {url: "/services/x"},
		"credentials":                        {url: "https://user:pass@hooks.example.com/x"},
		"no host":                            {url: "https:///x"},
		"unparsable":                         {url: "https://hooks.example.com/%zz"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			err := Policy{}.ValidateURL(tc.url)
			var e *Error
			if !errors.As(err, &e) || !e.Refused() {
				t.Fatalf("err = %v, want a refusal", err)
			}
			if e.Liftable() != tc.liftable {
				t.Errorf("Liftable = %v, want %v", e.Liftable(), tc.liftable)
			}
		})
	}
	if StatusError(http.StatusForbidden).Liftable() {
		t.Error("a status is no refusal, so nothing to lift")
	}
}

// TestLiftableAtDial: what DNS answered decides a dial-time refusal.
func TestLiftableAtDial(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	resp, err := Policy{}.Client().Get(localhostURL(t, srv))
	if err == nil {
		_ = resp.Body.Close()
		t.Fatal("loopback server was reached")
	}
	if e := classify(err); e.Class != ClassBlockedAddress || !e.Liftable() {
		t.Errorf("class = %q, Liftable = %v; want a liftable %s", e.Class, e.Liftable(), ClassBlockedAddress)
	}
}
