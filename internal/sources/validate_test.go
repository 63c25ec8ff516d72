package sources

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/momentum-dev/momentum/internal/bound"
)

func TestValidateQuery(t *testing.T) {
	tests := []struct {
		query   string
		wantErr string
	}{
		{query: "vector(66.5)"},
		{query: `sum(rate(http_requests_total{job="api",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="api"}[5m]))`},
		{query: "histogram_quantile(0.9, sum by (le) (rate(latency_bucket[5m])))"},
		{query: "scalar(vector(4.3))"},
		{query: "", wantErr: "query is empty"},
		{query: "  ", wantErr: "query is empty"},
		{query: "sum(rate(x[5m]", wantErr: "not valid PromQL"},
		{query: "nosuchfunction(up)", wantErr: "unknown function"},
		{query: "up[5m", wantErr: "not valid PromQL"},
		{query: "sum(up) by", wantErr: "not valid PromQL"},
	}
	for _, tt := range tests {
		err := ValidateQuery(tt.query)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("ValidateQuery(%q) = %v", tt.query, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ValidateQuery(%q) = %v, want an error containing %q", tt.query, err, tt.wantErr)
		}
	}
}

func TestValidateJSONPath(t *testing.T) {
	tests := []struct {
		path    string
		wantErr string
	}{
		{path: "{.data.nps}"},
		{path: "{.results[0].score}"},
		{path: "{.items[?(@.name==\"nps\")].value}"},
		{path: "{$.data.nps}"},
		{path: "", wantErr: "jsonPath is empty"},
		{path: ".data.nps", wantErr: "write it in braces"},
		{path: "{.data[}", wantErr: "is invalid"},
		{path: "{.data.nps", wantErr: "is invalid"},
		{path: "{.a[1:2:x]}", wantErr: "is invalid"},
		{path: "{{.a}", wantErr: "is invalid"},
		{path: "{.items[*].value}"},
		{path: "{.items[0:3].value}"},
		{path: "{.a}{.b}", wantErr: "must hold one expression"},
		{path: "{..a..a..a..a}", wantErr: "recursive descent"},
		{path: "{[0,0,0,0,0,0,0,0,0,0][0,0,0,0,0,0,0,0,0,0]}", wantErr: "unions"},
		{path: "{.a['x','y']}", wantErr: "unions"},
		{path: "{.items[?(@.a==1)][?(@.b==2)]}", wantErr: "at most one filter"},
		{path: "{.items[?(@.*==1)]}", wantErr: "wildcards are not allowed inside a filter"},
		{path: "{.items[?(@..a==1)]}", wantErr: "recursive descent"},
	}
	for _, tt := range tests {
		err := ValidateJSONPath(tt.path)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("ValidateJSONPath(%q) = %v", tt.path, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ValidateJSONPath(%q) = %v, want an error containing %q", tt.path, err, tt.wantErr)
		}
	}
}

func TestTruncate(t *testing.T) {
	if got := bound.Text("short", maxErrorText); got != "short" {
		t.Errorf("truncate(short) = %q", got)
	}
	long := strings.Repeat("é", 150) // 300 bytes
	got := bound.Text(long, maxErrorText)
	if !strings.HasSuffix(got, "…") || len(got) > maxErrorText {
		t.Errorf("truncate(long) = %q (%d bytes)", got, len(got))
	}
	if !utf8.ValidString(got) {
		t.Errorf("truncate split a rune: %q", got)
	}
}
