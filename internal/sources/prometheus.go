package sources

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/http/httpguts"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/bound"
	"github.com/momentum-dev/momentum/internal/outbound"
)

// promResponse is the envelope of the Prometheus HTTP API.
type promResponse struct {
	Status    string `json:"status"`
	ErrorType string `json:"errorType"`
	Error     string `json:"error"`
	Data      struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	} `json:"data"`
}

// promSample is one element of a vector result. Histogram is only looked
// at to say why a native-histogram sample has no value.
type promSample struct {
	Value     []json.RawMessage `json:"value"`
	Histogram json.RawMessage   `json:"histogram"`
}

// Prometheus evaluates src.Query as an instant query and returns its one
// value. The query must return a scalar or a vector of exactly one sample,
// so that an indicator never silently picks one series of several.
func (m Measurer) Prometheus(ctx context.Context, src *v1alpha1.PrometheusSource, secrets SecretGetter) (v1alpha1.Decimal, error) {
	if src == nil {
		return "", newError(ClassInvalidSpec, "no prometheus source")
	}
	// The query is not parsed here: the server is the authority on its own
	// PromQL version and feature flags, and answers bad_data when it objects.
	if strings.TrimSpace(src.Query) == "" {
		return "", newError(ClassInvalidSpec, "prometheus source: query is empty")
	}
	endpoint, err := queryURL(m.Policy, src.Address, src.Query)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return "", newError(ClassInvalidSpec, "prometheus source: address is not a valid URL")
	}
	req.Header.Set("Accept", "application/json")
	if ref := src.BearerTokenSecretRef; ref != nil {
		raw, err := secretToken(ctx, secrets, ref.Name, ref.Key, req.URL.Hostname())
		if err != nil {
			return "", err
		}
		// Token files often end in a newline.
		token := strings.TrimSpace(string(raw))
		if token == "" || !httpguts.ValidHeaderFieldValue(token) {
			return "", newError(ClassSecretNotUsable, fmt.Sprintf("Secret %q key %q does not hold a valid bearer token", ref.Name, ref.Key))
		}
		req.Header.Set("Authorization", "Bearer "+token)
	}

	resp, err := m.Policy.Do(ctx, req)
	if err != nil {
		return "", fromOutbound("prometheus source", err)
	}
	return parsePromResponse(resp)
}

// queryURL builds <address>/api/v1/query?query=…, keeping a path prefix of
// the address (Prometheus behind a reverse proxy at /prometheus).
func queryURL(p outbound.Policy, address, query string) (string, error) {
	// Validate first: url.Parse errors quote the address.
	if err := p.ValidateURL(address); err != nil {
		return "", fromOutbound("prometheus source", err)
	}
	u, err := url.Parse(strings.TrimSpace(address))
	if err != nil {
		return "", newError(ClassInvalidSpec, "prometheus source: address is not a valid URL")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", newError(ClassInvalidSpec, "prometheus source: address must not have a query or fragment")
	}
	u = u.JoinPath("api", "v1", "query")
	u.RawQuery = url.Values{"query": {query}}.Encode()
	return u.String(), nil
}

// parsePromResponse reads the API envelope. Prometheus answers bad queries
// with 400 or 422 and a JSON error, so the body is read before the status.
func parsePromResponse(resp *outbound.Response) (v1alpha1.Decimal, error) {
	var pr promResponse
	if err := json.Unmarshal(resp.Body, &pr); err != nil || pr.Status == "" {
		// Not the Prometheus API, e.g. a proxy's error page.
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			se := outbound.StatusError(resp.StatusCode)
			return "", &Error{Class: ClassSourceUnavailable, Detail: "prometheus source: " + se.Detail, cause: se}
		}
		return "", newError(ClassBadResponse, "prometheus source: response is not a Prometheus API answer")
	}
	if pr.Status != "success" {
		return "", promAPIError(resp.StatusCode, pr)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		se := outbound.StatusError(resp.StatusCode)
		return "", &Error{Class: ClassSourceUnavailable, Detail: "prometheus source: " + se.Detail, cause: se}
	}
	switch pr.Data.ResultType {
	case "scalar":
		var pair []json.RawMessage
		if err := json.Unmarshal(pr.Data.Result, &pair); err != nil {
			return "", newError(ClassBadResponse, "prometheus source: scalar result is malformed")
		}
		return promValue(pair)
	case "vector":
		var samples []promSample
		if err := json.Unmarshal(pr.Data.Result, &samples); err != nil {
			return "", newError(ClassBadResponse, "prometheus source: vector result is malformed")
		}
		if len(samples) != 1 {
			return "", newError(ClassBadResponse, fmt.Sprintf("query returned %d samples; it must return one", len(samples)))
		}
		if samples[0].Value == nil && len(samples[0].Histogram) > 0 {
			return "", newError(ClassBadResponse, "query returned a native histogram; it must return a number")
		}
		return promValue(samples[0].Value)
	case "":
		return "", newError(ClassBadResponse, "prometheus source: response has no result")
	default:
		return "", newError(ClassBadResponse, fmt.Sprintf("query returned a %s; it must return a scalar or one sample", bound.Text(pr.Data.ResultType, maxErrorText)))
	}
}

// promAPIError reports a Prometheus error. Its text is about the query,
// which is spec rather than secret, but is still bounded.
func promAPIError(code int, pr promResponse) *Error {
	class := ClassSourceUnavailable
	if pr.ErrorType == "bad_data" {
		class = ClassInvalidSpec
	}
	errorType := pr.ErrorType
	if errorType == "" {
		errorType = "unknown"
	}
	msg := "prometheus source: query failed (" + bound.Text(errorType, maxErrorText) + ")"
	if code < 200 || code > 299 {
		msg += ", " + outbound.StatusError(code).Detail
	}
	// The server's error text is response body: it stays out of status.
	return newError(class, msg)
}

// promValue reads the [timestamp, "value"] pair Prometheus uses for samples
// and rejects NaN and infinities, which no target can be compared with.
func promValue(pair []json.RawMessage) (v1alpha1.Decimal, error) {
	if len(pair) != 2 {
		return "", newError(ClassBadResponse, "prometheus source: sample is malformed")
	}
	var text string
	if err := json.Unmarshal(bytes.TrimSpace(pair[1]), &text); err != nil {
		return "", newError(ClassBadResponse, "prometheus source: sample value is not a string")
	}
	f, err := strconv.ParseFloat(text, 64)
	switch {
	case err != nil && !isRangeErr(err):
		return "", newError(ClassBadResponse, "prometheus source: sample value is not a number")
	case math.IsNaN(f):
		return "", newError(ClassBadResponse, "query returned NaN; it must return a finite number")
	case math.IsInf(f, 0) || err != nil:
		return "", newError(ClassBadResponse, "query returned an infinite value; it must return a finite number")
	}
	// Keep the server's text when it is a JSON number (exact); otherwise
	// ("+5", ".5", hex) the shortest decimal of the parsed value.
	if d := v1alpha1.Decimal(text); d.Validate() == nil {
		return d, nil
	}
	return v1alpha1.NewDecimal(f), nil
}

func isRangeErr(err error) bool {
	var ne *strconv.NumError
	return errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange)
}
