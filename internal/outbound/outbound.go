// Package outbound is the only way Momentum talks to user-supplied URLs.
//
// Webhook addresses come from users, so every call is an SSRF risk: this
// package refuses plain http (unless a host is allowed), credentials in URLs,
// redirects, and connections to loopback, private, link-local and similar
// ranges. The address check runs on the IP actually dialled, so DNS
// rebinding cannot bypass it. Errors never repeat the URL, which is a secret.
package outbound

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Defaults used when the Policy leaves a field zero.
const (
	// DefaultTimeout bounds a whole request, body included.
	DefaultTimeout = 10 * time.Second
	// DefaultMaxBodyBytes caps how much of a response body is read.
	DefaultMaxBodyBytes int64 = 64 << 10
)

// Policy says which destinations may be reached and how patiently.
// The zero value is the strict default: https only, public addresses only.
type Policy struct {
	// AllowHTTPHosts lists hostnames (or host:port) that may be reached over
	// plain http; every other host must use https.
	AllowHTTPHosts []string
	// AllowCIDRs lists destination ranges allowed even though they are
	// loopback, private, link-local or otherwise blocked.
	AllowCIDRs []netip.Prefix
	// Timeout bounds the whole request; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxBodyBytes caps the response body read; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
}

// Response is what is kept of an answer: the status and a capped body.
type Response struct {
	// StatusCode is the HTTP status code.
	StatusCode int
	// Body is at most Policy.MaxBodyBytes of the response body.
	Body []byte
}

// ParseCIDRs parses manager flags into prefixes. A bare IP is taken as a
// single-address prefix; empty values are skipped.
func ParseCIDRs(values []string) ([]netip.Prefix, error) {
	prefixes := make([]netip.Prefix, 0, len(values))
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if p, err := netip.ParsePrefix(v); err == nil {
			prefixes = append(prefixes, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(v)
		if err != nil {
			return nil, fmt.Errorf("invalid CIDR %q: want a range like 10.0.0.0/8 or a single IP", v)
		}
		prefixes = append(prefixes, netip.PrefixFrom(a.WithZone(""), a.BitLen()))
	}
	return prefixes, nil
}

// ValidateURL checks an address statically, without DNS: it must parse, use
// https (or http for an allowed host), have a host and no credentials, and
// an IP-literal host must not be in a blocked range.
func (p Policy) ValidateURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// url.Parse errors quote the input, which is secret.
		return newError(ClassInvalidURL, "address is not a valid URL")
	}
	return p.validate(u)
}

func (p Policy) validate(u *url.URL) error {
	if u == nil {
		return newError(ClassInvalidURL, "address is empty")
	}
	if u.Opaque != "" {
		return newError(ClassInvalidURL, "address is not a valid URL")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !p.httpAllowed(u) {
			return liftableError(ClassScheme, "address must use https")
		}
	case "":
		return newError(ClassScheme, "address must be an absolute https URL")
	default:
		return newError(ClassScheme, "address must use https")
	}
	if u.User != nil {
		return newError(ClassInvalidURL, "address must not contain credentials (user:password@)")
	}
	host := u.Hostname()
	if host == "" {
		return newError(ClassInvalidURL, "address has no host")
	}
	if a, err := netip.ParseAddr(host); err == nil {
		if reason := p.blocked(a); reason != "" {
			return liftableError(ClassBlockedAddress, "address is in a blocked range ("+reason+")")
		}
	}
	return nil
}

// httpAllowed matches an allow-list entry against the hostname or host:port.
func (p Policy) httpAllowed(u *url.URL) bool {
	host, hostPort := u.Hostname(), u.Host
	for _, h := range p.AllowHTTPHosts {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if strings.EqualFold(h, hostPort) || strings.EqualFold(strings.Trim(h, "[]"), host) {
			return true
		}
	}
	return false
}

// control runs just before connect(2) on the resolved address, so whatever
// DNS answered, a blocked IP is never connected to.
func (p Policy) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return liftableError(ClassBlockedAddress, "address resolves to an unparsable destination")
	}
	if reason := p.blocked(ap.Addr()); reason != "" {
		return liftableError(ClassBlockedAddress, "address resolves to a blocked range ("+reason+")")
	}
	return nil
}

func (p Policy) timeout() time.Duration {
	if p.Timeout <= 0 {
		return DefaultTimeout
	}
	return p.Timeout
}

func (p Policy) maxBody() int64 {
	if p.MaxBodyBytes <= 0 {
		return DefaultMaxBodyBytes
	}
	return p.MaxBodyBytes
}

// Client returns an HTTP client that enforces the policy at dial time,
// never follows redirects and ignores proxy environment variables (a proxy
// would dial on our behalf, past the address check).
func (p Policy) Client() *http.Client {
	timeout := p.timeout()
	dialer := &net.Dialer{
		Timeout:   timeout,
		KeepAlive: 30 * time.Second,
		Control:   p.control,
	}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          4,
		IdleConnTimeout:       30 * time.Second,
	}
	return &http.Client{
		Transport: transport,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// Do runs req under the policy: it validates the URL, refuses redirects,
// reads at most MaxBodyBytes of the body (the rest is discarded) and closes
// it. Any status other than 3xx is returned as a Response for the caller to
// judge; errors are *Error values that never contain the URL.
func (p Policy) Do(ctx context.Context, req *http.Request) (*Response, error) {
	if req == nil {
		return nil, newError(ClassInvalidURL, "no request")
	}
	if err := p.validate(req.URL); err != nil {
		return nil, err
	}
	client := p.Client()
	defer client.CloseIdleConnections()

	resp, err := client.Do(req.WithContext(ctx))
	if err != nil {
		return nil, classify(err)
	}
	defer func() { _ = resp.Body.Close() }()

	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		e := newError(ClassRedirect, fmt.Sprintf("server answered %s; redirects are not followed", statusText(resp.StatusCode)))
		e.StatusCode = resp.StatusCode
		return nil, e
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, p.maxBody()))
	if err != nil {
		return nil, classify(err)
	}
	return &Response{StatusCode: resp.StatusCode, Body: body}, nil
}

// classify turns a transport error into an *Error without its text: url,
// net and TLS errors quote the URL, host or IP, which are secret.
func classify(err error) *Error {
	var oe *Error
	if errors.As(err, &oe) {
		return oe
	}
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()) {
		return &Error{Class: ClassTimeout, Detail: "request timed out", cause: context.DeadlineExceeded}
	}
	if errors.Is(err, context.Canceled) {
		return &Error{Class: ClassCanceled, Detail: "request canceled", cause: context.Canceled}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		if dnsErr.IsNotFound {
			return newError(ClassConnection, "address host could not be resolved")
		}
		return newError(ClassConnection, "DNS lookup failed")
	}
	var (
		certErr   *tls.CertificateVerificationError
		recordErr tls.RecordHeaderError
		alertErr  tls.AlertError
	)
	switch {
	case errors.As(err, &certErr):
		return newError(ClassConnection, "TLS certificate could not be verified")
	case errors.As(err, &recordErr), errors.As(err, &alertErr):
		return newError(ClassConnection, "TLS handshake failed")
	case errors.Is(err, syscall.ECONNREFUSED):
		return newError(ClassConnection, "connection refused")
	case errors.Is(err, syscall.ECONNRESET):
		return newError(ClassConnection, "connection reset by server")
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return newError(ClassConnection, "destination unreachable")
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return newError(ClassConnection, "server closed the connection")
	}
	return newError(ClassConnection, "connection failed")
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprintf("%d", code)
}
