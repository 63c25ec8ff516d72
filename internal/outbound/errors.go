package outbound

import (
	"errors"
	"net/http"
)

// Error classes, so callers can decide what to retry and what to tell users
// without ever looking at (secret) error text from lower layers.
const (
	// ClassInvalidURL: the address does not parse, has no host or has credentials.
	ClassInvalidURL = "InvalidURL"
	// ClassScheme: the address is not https (and not an allowed http host).
	ClassScheme = "Scheme"
	// ClassBlockedAddress: the destination IP is in a blocked range.
	ClassBlockedAddress = "BlockedAddress"
	// ClassRedirect: the server answered 3xx; redirects are never followed.
	ClassRedirect = "Redirect"
	// ClassTimeout: the request did not finish within the timeout.
	ClassTimeout = "Timeout"
	// ClassCanceled: the caller's context was canceled.
	ClassCanceled = "Canceled"
	// ClassConnection: DNS, TCP or TLS failed.
	ClassConnection = "Connection"
	// ClassStatus: the server answered with an unsuccessful status.
	ClassStatus = "Status"
)

// Error is every error this package returns. Its message is safe to log and
// to show in status: it never contains the URL, headers or response body.
type Error struct {
	// Class is one of the Class constants.
	Class string
	// Detail is the human-readable, secret-free message.
	Detail string
	// StatusCode is the HTTP status for ClassStatus and ClassRedirect.
	StatusCode int

	// cause is only ever a secret-free sentinel such as context.Canceled.
	cause error
	// liftable marks a refusal that more than the URL decides: see Liftable.
	liftable bool
}

func newError(class, detail string) *Error {
	return &Error{Class: class, Detail: detail}
}

// Error returns the secret-free detail.
func (e *Error) Error() string { return e.Detail }

// Unwrap exposes context sentinels to errors.Is.
func (e *Error) Unwrap() error { return e.cause }

// Refused reports whether the policy itself rejected the request; retrying
// cannot help.
func (e *Error) Refused() bool {
	switch e.Class {
	case ClassInvalidURL, ClassScheme, ClassBlockedAddress, ClassRedirect:
		return true
	}
	return false
}

// Liftable reports whether a refusal depends on more than the URL: plain
// http to a host AllowHTTPHosts does not list, or an address (literal or
// what DNS answered) in a blocked range AllowCIDRs does not open. A change
// of the manager's flags, of the namespace exceptions that narrow them, or
// of DNS may lift it; every other refusal stands until the URL changes.
func (e *Error) Liftable() bool {
	return e.Refused() && e.liftable
}

// liftableError is a refusal that the policy's exceptions or DNS decide.
func liftableError(class, detail string) *Error {
	return &Error{Class: class, Detail: detail, liftable: true}
}

// Retryable reports whether trying again later may succeed: timeouts,
// connection failures, 5xx and 429.
func (e *Error) Retryable() bool {
	switch e.Class {
	case ClassTimeout, ClassConnection:
		return true
	case ClassStatus:
		return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
	}
	return false
}

// StatusError describes an unsuccessful HTTP status as an *Error.
func StatusError(code int) *Error {
	return &Error{Class: ClassStatus, Detail: "server answered " + statusText(code), StatusCode: code}
}

// ClassOf returns the Class of an *Error in err's chain, or "".
func ClassOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	return ""
}
