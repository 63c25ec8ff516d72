package notify

import (
	"errors"
	"net/http"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/outbound"
)

// HeaderIdempotencyKey carries a delivery's key on every POST to a generic
// webhook: a receiver that remembers keys drops a retried message.
const HeaderIdempotencyKey = "Idempotency-Key"

// Failure is what one failed attempt tells the retry decision.
type Failure struct {
	// Class is the outbound error class; Status the HTTP status, if any.
	Class  string
	Status int
	// Sent: a connection to the receiver was open, so some or all of the
	// request may have reached it.
	Sent bool
}

// FailureOf describes err, the outcome of one attempt.
func FailureOf(err error) Failure {
	var ae *attemptError
	if errors.As(err, &ae) {
		return Failure{Class: ae.err.Class, Status: ae.err.StatusCode, Sent: ae.sent}
	}
	var oe *outbound.Error
	if errors.As(err, &oe) {
		return Failure{Class: oe.Class, Status: oe.StatusCode}
	}
	return Failure{Class: outbound.ClassConnection}
}

// Ambiguous reports whether the receiver may have processed the message
// although the attempt failed: the request was (partly) sent and then timed
// out, was reset, or met a server error. Only a receiver that deduplicates
// by idempotency key makes retrying that safe.
func (f Failure) Ambiguous() bool {
	if !f.Sent {
		return false
	}
	switch f.Class {
	case outbound.ClassTimeout, outbound.ClassConnection:
		return true
	case outbound.ClassStatus:
		return f.Status >= http.StatusInternalServerError
	}
	return false
}

// Retry decides whether a failed attempt may be tried again without
// posting the message twice: never after a refusal, a 4xx other than 429
// or a cancellation; always when nothing was sent (connection refused, DNS,
// TLS handshake) or the receiver said 429 (it declined the message); after
// an ambiguous failure only for a webhook that carries an idempotency key.
// Slack and Teams have no such key, so for them an ambiguous failure is
// final: at most once.
func Retry(t v1alpha1.ChannelType, keyed bool, f Failure) bool {
	switch {
	case f.Class == outbound.ClassCanceled:
		return false
	case (&outbound.Error{Class: f.Class}).Refused():
		return false
	case f.Ambiguous():
		return t == v1alpha1.ChannelWebhook && keyed
	case !f.Sent:
		return true
	case f.Class == outbound.ClassStatus:
		return f.Status == http.StatusTooManyRequests
	}
	return false
}

// Guarantee names what a channel type promises for one delivery key.
func Guarantee(t v1alpha1.ChannelType) string {
	if t == v1alpha1.ChannelWebhook {
		return "exactly once (at least once, deduplicated by Idempotency-Key)"
	}
	return "at most once (retried only when nothing was sent)"
}

// attemptError is one failed attempt: its outbound error and whether the
// request had a connection to go out on.
type attemptError struct {
	err  *outbound.Error
	sent bool
}

func (e *attemptError) Error() string { return e.err.Error() }
func (e *attemptError) Unwrap() error { return e.err }
