package sources

import (
	"errors"

	"github.com/momentum-dev/momentum/internal/outbound"
)

// Error classes, so the indicator controller can decide what to report and
// whether a failure counts towards SourceUnavailable without parsing text.
const (
	// ClassSourceUnavailable: the source could not be reached or answered
	// with an unsuccessful status, or has no value to give yet. Trying again
	// later may help.
	ClassSourceUnavailable = "SourceUnavailable"
	// ClassBadResponse: the source answered, but not with exactly one
	// finite number where the spec points.
	ClassBadResponse = "BadResponse"
	// ClassSecretNotFound: a referenced Secret or one of its keys is missing.
	ClassSecretNotFound = "SecretNotFound"
	// ClassSecretNotUsable: a referenced Secret is not labelled usable for
	// this purpose, may not be sent to this host, or holds what cannot be
	// sent (an invalid header name or value, an invalid bearer token). The
	// Secret's owner fixes it; the spec is not at fault.
	ClassSecretNotUsable = "SecretNotUsable"
	// ClassInvalidSpec: the spec itself is wrong (a URL that does not parse
	// or is not https, a PromQL syntax error); retrying cannot help until
	// the spec changes.
	ClassInvalidSpec = "InvalidSpec"
	// ClassRefused: the outbound policy refused an address for a reason the
	// spec alone does not decide: plain http to a host --allow-http-host
	// does not list, an address in a blocked range --allow-cidr does not
	// open (literal or what DNS answered), or exceptions withheld from the
	// namespace by --allow-namespace-selector. A flag, label or DNS change
	// lifts it, so measuring goes on.
	ClassRefused = "Refused"
)

// Error is every error this package returns. Its message is safe for logs,
// Events and status: it never holds a Secret value, a response body, a URL
// or its query string.
type Error struct {
	// Class is one of the Class constants.
	Class string
	// Detail is the human-readable, secret-free message.
	Detail string

	// cause is a secret-free error kept for errors.As/Is, such as an
	// *outbound.Error; its text is never part of Error().
	cause error
}

// Error returns the secret-free detail.
func (e *Error) Error() string { return e.Detail }

// Unwrap exposes the cause, e.g. an *outbound.Error with its class and
// Retryable verdict.
func (e *Error) Unwrap() error { return e.cause }

// ClassOf returns the Class of an *Error in err's chain, or "".
func ClassOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	return ""
}

func newError(class, detail string) *Error {
	return &Error{Class: class, Detail: detail}
}

// fromOutbound wraps an outbound error with context. The outbound Detail is
// already secret-free; a policy refusal is a spec problem when the URL alone
// decides it, a Refused one when flags, namespace labels or DNS do, and
// anything else a (possibly transient) unavailability.
func fromOutbound(what string, err error) *Error {
	class := ClassSourceUnavailable
	var oe *outbound.Error
	switch {
	case !errors.As(err, &oe), !oe.Refused(), oe.Class == outbound.ClassRedirect:
	case oe.Liftable():
		class = ClassRefused
	default:
		class = ClassInvalidSpec
	}
	if oe == nil {
		// Policy.Do only returns *outbound.Error; never echo anything else.
		return &Error{Class: class, Detail: what + ": request failed"}
	}
	return &Error{Class: class, Detail: what + ": " + oe.Detail, cause: oe}
}
