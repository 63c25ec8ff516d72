package sources

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"

	"k8s.io/client-go/util/jsonpath"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/outbound"
)

// HTTP reads one number from a JSON API: it GETs src.URL with the headers of
// src.HeadersSecretRef and selects the number with src.JSONPath. The number
// is returned exactly as the API wrote it, so 66.5 stays "66.5".
func (m Measurer) HTTP(ctx context.Context, src *v1alpha1.HTTPSource, secrets SecretGetter) (v1alpha1.Decimal, error) {
	if src == nil {
		return "", newError(ClassInvalidSpec, "no http source")
	}
	jp, err := compileJSONPath(src.JSONPath)
	if err != nil {
		return "", err
	}
	// Validate before building the request: url.Parse errors quote the URL.
	if err := m.Policy.ValidateURL(src.URL); err != nil {
		return "", fromOutbound("http source", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src.URL, nil)
	if err != nil {
		return "", newError(ClassInvalidSpec, "http source: address is not a valid URL")
	}
	if ref := src.HeadersSecretRef; ref != nil {
		if err := secretHeaders(ctx, secrets, ref.Name, req.URL.Hostname(), req.Header); err != nil {
			return "", err
		}
	}
	req.Header.Set("Accept", "application/json")

	resp, err := m.Policy.Do(ctx, req)
	if err != nil {
		return "", fromOutbound("http source", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		se := outbound.StatusError(resp.StatusCode)
		return "", &Error{Class: ClassSourceUnavailable, Detail: "http source: " + se.Detail, cause: se}
	}
	data, err := decodeJSON(resp.Body)
	if err != nil {
		return "", err
	}
	return selectNumber(jp, src.JSONPath, data)
}

// decodeJSON decodes one JSON document, keeping numbers as json.Number so
// that their exact text survives. Decoder errors are not repeated: they
// quote bytes of the body.
func decodeJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var data any
	if err := dec.Decode(&data); err != nil {
		return nil, newError(ClassBadResponse, "response is not valid JSON")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, newError(ClassBadResponse, "response is not a single JSON document")
	}
	return data, nil
}

// compileJSONPath parses a jsonPath as kubectl does; missing keys are errors
// so that a renamed field is reported rather than read as nothing.
func compileJSONPath(path string) (*jsonpath.JSONPath, error) {
	if err := ValidateJSONPath(path); err != nil {
		return nil, &Error{Class: ClassInvalidSpec, Detail: err.Error()}
	}
	jp := jsonpath.New("jsonPath").AllowMissingKeys(false)
	if err := jp.Parse(path); err != nil {
		return nil, newError(ClassInvalidSpec, fmt.Sprintf("jsonPath %s is invalid", path))
	}
	return jp, nil
}

// selectNumber evaluates jp over data and returns the one number it must
// select. jsonpath's own errors are not repeated: some print values of the
// response.
func selectNumber(jp *jsonpath.JSONPath, path string, data any) (v1alpha1.Decimal, error) {
	results, err := jp.FindResults(data)
	if err != nil {
		return "", newError(ClassBadResponse, fmt.Sprintf("jsonPath %s selected no value", path))
	}
	var found []any
	for _, rs := range results {
		for _, r := range rs {
			if r.IsValid() && r.CanInterface() {
				found = append(found, r.Interface())
			}
		}
	}
	switch len(found) {
	case 0:
		return "", newError(ClassBadResponse, fmt.Sprintf("jsonPath %s selected no value", path))
	case 1:
	default:
		return "", newError(ClassBadResponse, fmt.Sprintf("jsonPath %s selected %d values; it must select one number", path, len(found)))
	}
	n, ok := found[0].(json.Number)
	if !ok {
		return "", newError(ClassBadResponse, fmt.Sprintf("jsonPath %s selected %s, not a number", path, jsonKind(found[0])))
	}
	d := v1alpha1.Decimal(n.String())
	if d.Validate() == nil {
		return d, nil
	}
	// Longer than a Decimal may be, or beyond its exponent: keep the nearest
	// float64, which always fits.
	if f, err := n.Float64(); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
		return v1alpha1.NewDecimal(f), nil
	}
	return "", newError(ClassBadResponse, fmt.Sprintf("jsonPath %s selected a number that is not a finite decimal", path))
}

// jsonKind names the JSON type of a decoded value without showing it.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return "a non-number"
}
