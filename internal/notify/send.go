package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"strings"
	"time"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/outbound"
)

// DefaultAttempts is how many times Send tries when Sender.Attempts is 0.
const DefaultAttempts = 4

// maxBackoff caps the default exponential backoff.
const maxBackoff = 30 * time.Second

// Sender posts messages through an outbound policy, retrying transient
// failures.
type Sender struct {
	// Policy guards every request; see package outbound.
	Policy outbound.Policy
	// Attempts is the total number of tries; 0 means DefaultAttempts.
	Attempts int
	// Backoff maps a 0-based retry index to a wait; nil means exponential
	// 1s, 2s, 4s... capped at 30s.
	Backoff func(attempt int) time.Duration
	// OnAttempt, if set, is told the outcome of each try (1-based attempt,
	// nil on success, and the wait before the next try or 0 if none). Its
	// error is as secret-free as Send's.
	OnAttempt func(attempt int, err error, next time.Duration)
}

// Send delivers m to the channel at address. Headers (and m.Key as the
// Idempotency-Key header) are sent only for webhook channels. Whether a
// failed attempt is tried again is Retry's decision: never in a way that
// could post twice to a receiver that cannot deduplicate. Errors never
// contain the address, header values or response body; Ambiguous tells
// whether the message may have arrived nonetheless.
func (s Sender) Send(ctx context.Context, t v1alpha1.ChannelType, address string, headers map[string]string, m Message) error {
	payload, err := Payload(t, m)
	if err != nil {
		return fmt.Errorf("building payload: %w", err)
	}
	if err := s.Policy.ValidateURL(address); err != nil {
		return fmt.Errorf("address not allowed: %w", err)
	}
	if t != v1alpha1.ChannelWebhook {
		headers = nil
	}
	if err := validateHeaders(headers); err != nil {
		return err
	}
	if t == v1alpha1.ChannelWebhook && m.Key != "" {
		headers = withKey(headers, m.Key)
	}
	attempts := s.Attempts
	if attempts <= 0 {
		attempts = DefaultAttempts
	}

	var last error
	for attempt := 0; attempt < attempts; attempt++ {
		last = s.try(ctx, address, headers, payload)
		again := last != nil && Retry(t, m.Key != "", FailureOf(last))
		retry := again && attempt+1 < attempts
		var wait time.Duration
		if retry {
			wait = s.backoff(attempt)
		}
		if s.OnAttempt != nil {
			s.OnAttempt(attempt+1, last, wait)
		}
		if last == nil {
			return nil
		}
		if !again {
			return explain(last)
		}
		if !retry {
			break
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return fmt.Errorf("delivery canceled after %d attempt(s): %w", attempt+1, last)
		case <-timer.C:
		}
	}
	return fmt.Errorf("delivery failed after %d attempt(s): %w", attempts, last)
}

// try makes one request and turns any unsuccessful outcome into an
// *outbound.Error.
func (s Sender) try(ctx context.Context, address string, headers map[string]string, payload []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, address, bytes.NewReader(payload))
	if err != nil {
		// NewRequest errors quote the URL; ValidateURL already passed, so
		// this is only a malformed address.
		return &outbound.Error{Class: outbound.ClassInvalidURL, Detail: "address is not a valid URL"}
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "momentum-notify")
	// A connection obtained is the line between "nothing was sent" (safe to
	// retry anywhere) and "the receiver may have it" (ambiguous).
	sent := false
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { sent = true }})
	resp, err := s.Policy.Do(ctx, req.WithContext(ctx))
	if err != nil {
		var oe *outbound.Error
		if !errors.As(err, &oe) {
			oe = &outbound.Error{Class: outbound.ClassConnection, Detail: "connection failed"}
		}
		return &attemptError{err: oe, sent: sent}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &attemptError{err: outbound.StatusError(resp.StatusCode), sent: true}
	}
	return nil
}

// withKey returns headers plus the idempotency key, leaving headers as is.
func withKey(headers map[string]string, key string) map[string]string {
	out := make(map[string]string, len(headers)+1)
	for k, v := range headers {
		out[k] = v
	}
	out[HeaderIdempotencyKey] = key
	return out
}

// Ambiguous reports whether err, returned by Send, leaves open whether the
// receiver got the message: its last attempt failed after sending.
func Ambiguous(err error) bool {
	var ae *attemptError
	return errors.As(err, &ae) && FailureOf(ae).Ambiguous()
}

func (s Sender) backoff(attempt int) time.Duration {
	if s.Backoff != nil {
		return s.Backoff(attempt)
	}
	return DefaultBackoff(attempt)
}

// DefaultBackoff waits 1s, 2s, 4s... for retry 0, 1, 2..., capped at 30s.
func DefaultBackoff(attempt int) time.Duration {
	if attempt < 0 {
		attempt = 0
	}
	if attempt >= 5 {
		return maxBackoff
	}
	return min(time.Second<<attempt, maxBackoff)
}

// explain adds what the user should do to a final, non-retryable error.
func explain(err error) error {
	var oe *outbound.Error
	if !errors.As(err, &oe) {
		return err
	}
	switch {
	case oe.Class == outbound.ClassStatus && oe.StatusCode >= 500:
		return fmt.Errorf("delivery failed: %w", err)
	case oe.Class == outbound.ClassStatus:
		return fmt.Errorf("delivery rejected: %w; check the channel's address", err)
	case oe.Class == outbound.ClassRedirect:
		return fmt.Errorf("delivery refused: %w; set the channel's address to the final URL", err)
	case oe.Refused():
		return fmt.Errorf("address not allowed: %w", err)
	}
	return fmt.Errorf("delivery failed: %w", err)
}

// validateHeaders refuses headers net/http would reject later with an
// unclassified error; it names the header but never its value.
func validateHeaders(headers map[string]string) error {
	for k, v := range headers {
		if k == "" || strings.IndexFunc(k, func(r rune) bool { return !isTokenRune(r) }) >= 0 {
			return fmt.Errorf("headers: %q is not a valid header name", k)
		}
		if strings.ContainsAny(v, "\r\n\x00") {
			return fmt.Errorf("headers: the value of %q contains a line break or NUL", k)
		}
	}
	return nil
}

// isTokenRune reports whether r may appear in an HTTP header name (RFC 9110 token).
func isTokenRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("!#$%&'*+-.^_`|~", r)
}
