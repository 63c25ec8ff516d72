package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/outbound"
)

// request is what the test server saw.
type request struct {
	Method  string
	Header  http.Header
	Body    []byte
	RawPath string
}

// recorder is a loopback server answering statuses in order (the last one
// repeats) and recording every request.
type recorder struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	requests []request
}

func newRecorder(t *testing.T, statuses ...int) *recorder {
	t.Helper()
	r := &recorder{statuses: statuses}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.requests = append(r.requests, request{Method: req.Method, Header: req.Header.Clone(), Body: body, RawPath: req.URL.RequestURI()})
		status := http.StatusOK
		if n := len(r.requests); len(r.statuses) > 0 {
			status = r.statuses[min(n, len(r.statuses))-1]
		}
		r.mu.Unlock()
		w.WriteHeader(status)
		_, _ = w.Write([]byte("body text the server sent"))
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *recorder) got() []request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]request(nil), r.requests...)
}

var loopbackPolicy = outbound.Policy{
	AllowHTTPHosts: []string{"127.0.0.1"},
	AllowCIDRs:     []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
	Timeout:        2 * time.Second,
}

func fastSender(attempts int) Sender {
	return Sender{Policy: loopbackPolicy, Attempts: attempts, Backoff: func(int) time.Duration { return time.Millisecond }}
}

var msg = Message{
	Text:       "Why does this initiative matter? <https://example.com|Read> & reply",
	Title:      "Reminder: weekly-why",
	Initiative: "team-a/onboarding",
	Kind:       "reminder",
	Name:       "weekly-why",
}

func decode(t *testing.T, body []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, body)
	}
	return v
}

func wantTeams(blocks ...any) any {
	return map[string]any{
		"type": "message",
		"attachments": []any{map[string]any{
			"contentType": "application/vnd.microsoft.card.adaptive",
			"contentUrl":  nil,
			"content": map[string]any{
				"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
				"type":    "AdaptiveCard",
				"version": "1.4",
				"body":    blocks,
			},
		}},
	}
}

var titleBlock = map[string]any{"type": "TextBlock", "text": msg.Title, "weight": "Bolder", "size": "Medium", "wrap": true}

func TestSendPayloads(t *testing.T) {
	untitled := msg
	untitled.Title = ""
	tests := map[string]struct {
		typ         v1alpha1.ChannelType
		msg         Message
		want        any
		wantHeaders bool
	}{
		"slack with title": {
			typ: v1alpha1.ChannelSlack, msg: msg,
			want: map[string]any{"text": "*Reminder: weekly-why*\nWhy does this initiative matter? &lt;https://example.com|Read&gt; &amp; reply"},
		},
		"slack without title": {
			typ: v1alpha1.ChannelSlack, msg: untitled,
			want: map[string]any{"text": "Why does this initiative matter? &lt;https://example.com|Read&gt; &amp; reply"},
		},
		"msteams with title": {
			typ: v1alpha1.ChannelMSTeams, msg: msg,
			want: wantTeams(titleBlock, map[string]any{"type": "TextBlock", "text": msg.Text, "wrap": true}),
		},
		"msteams without title": {
			typ: v1alpha1.ChannelMSTeams, msg: untitled,
			want: wantTeams(map[string]any{"type": "TextBlock", "text": msg.Text, "wrap": true}),
		},
		"webhook": {
			typ: v1alpha1.ChannelWebhook, msg: msg, wantHeaders: true,
			want: map[string]any{"kind": "reminder", "name": "weekly-why", "initiative": "team-a/onboarding", "title": msg.Title, "text": msg.Text},
		},
		"webhook without title keeps the field": {
			typ: v1alpha1.ChannelWebhook, msg: untitled, wantHeaders: true,
			want: map[string]any{"kind": "reminder", "name": "weekly-why", "initiative": "team-a/onboarding", "title": "", "text": msg.Text},
		},
	}
	headers := map[string]string{"Authorization": "Bearer abc", "X-Team": "a", "Content-Type": "text/plain"}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newRecorder(t)
			if err := fastSender(1).Send(context.Background(), tc.typ, srv.URL+"/hook", headers, tc.msg); err != nil {
				t.Fatalf("Send: %v", err)
			}
			reqs := srv.got()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodPost || r.RawPath != "/hook" {
				t.Errorf("request = %s %s, want POST /hook", r.Method, r.RawPath)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			if got := decode(t, r.Body); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("payload =\n%s\nwant\n%#v", r.Body, tc.want)
			}
			gotAuth, gotTeam := r.Header.Get("Authorization"), r.Header.Get("X-Team")
			if tc.wantHeaders && (gotAuth != "Bearer abc" || gotTeam != "a") {
				t.Errorf("webhook headers not sent: Authorization=%q X-Team=%q", gotAuth, gotTeam)
			}
			if !tc.wantHeaders && (gotAuth != "" || gotTeam != "") {
				t.Errorf("%s must not send channel headers: Authorization=%q X-Team=%q", tc.typ, gotAuth, gotTeam)
			}
		})
	}
}

func TestPayloadErrors(t *testing.T) {
	tests := map[string]struct {
		typ v1alpha1.ChannelType
		msg Message
	}{
		"unknown type": {typ: "discord", msg: msg},
		"empty text":   {typ: v1alpha1.ChannelSlack, msg: Message{Title: "x"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := Payload(tc.typ, tc.msg); err == nil {
				t.Error("Payload succeeded, want an error")
			}
		})
	}
}

func TestSendRetries(t *testing.T) {
	tests := map[string]struct {
		statuses     []int
		channel      v1alpha1.ChannelType // "" means slack
		key          string               // the message's idempotency key
		attempts     int
		wantRequests int
		wantErr      []string // substrings; nil means success
		wantAttempts []bool   // per OnAttempt call: succeeded?
	}{
		"503 twice then 200 to a keyed webhook": {
			statuses: []int{503, 503, 200}, channel: v1alpha1.ChannelWebhook, key: "k1", attempts: 4, wantRequests: 3,
			wantAttempts: []bool{false, false, true},
		},
		"503 to slack is not sent again": {
			statuses: []int{503, 200}, attempts: 4, wantRequests: 1,
			wantErr: []string{"delivery failed", "503 Service Unavailable"}, wantAttempts: []bool{false},
		},
		"503 to an unkeyed webhook is not sent again": {
			statuses: []int{503, 200}, channel: v1alpha1.ChannelWebhook, attempts: 4, wantRequests: 1,
			wantErr: []string{"503 Service Unavailable"}, wantAttempts: []bool{false},
		},
		"429 is retried": {
			statuses: []int{429, 200}, attempts: 4, wantRequests: 2,
			wantAttempts: []bool{false, true},
		},
		"404 gives up at once": {
			statuses: []int{404}, attempts: 4, wantRequests: 1,
			wantErr:      []string{"delivery rejected", "404 Not Found", "check the channel's address"},
			wantAttempts: []bool{false},
		},
		"400 gives up at once": {
			statuses: []int{400}, attempts: 4, wantRequests: 1,
			wantErr: []string{"400 Bad Request"}, wantAttempts: []bool{false},
		},
		"attempts exhausted": {
			statuses: []int{500}, channel: v1alpha1.ChannelWebhook, key: "k1", attempts: 3, wantRequests: 3,
			wantErr:      []string{"after 3 attempt(s)", "500 Internal Server Error"},
			wantAttempts: []bool{false, false, false},
		},
		"redirect is a refusal, not retried": {
			statuses: []int{302}, attempts: 4, wantRequests: 1,
			wantErr: []string{"delivery refused", "redirects are not followed"}, wantAttempts: []bool{false},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newRecorder(t, tc.statuses...)
			var outcomes []bool
			s := fastSender(tc.attempts)
			s.OnAttempt = func(_ int, err error, _ time.Duration) { outcomes = append(outcomes, err == nil) }

			channel, m := tc.channel, msg
			if channel == "" {
				channel = v1alpha1.ChannelSlack
			}
			m.Key = tc.key
			err := s.Send(context.Background(), channel, srv.URL+"/hook?token=t0ps3cret", nil, m)
			if n := len(srv.got()); n != tc.wantRequests {
				t.Errorf("server got %d requests, want %d", n, tc.wantRequests)
			}
			if !reflect.DeepEqual(outcomes, tc.wantAttempts) {
				t.Errorf("attempt outcomes = %v, want %v", outcomes, tc.wantAttempts)
			}
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("Send: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Send succeeded, want an error")
			}
			for _, s := range tc.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			assertClean(t, err.Error(), srv.URL, "t0ps3cret", "body text")
		})
	}
}

func TestSendRetriesConnectionErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL + "/hook"
	srv.Close()
	calls := 0
	s := fastSender(3)
	s.OnAttempt = func(int, error, time.Duration) { calls++ }
	err := s.Send(context.Background(), v1alpha1.ChannelSlack, addr, nil, msg)
	if outbound.ClassOf(err) != outbound.ClassConnection || calls != 3 {
		t.Errorf("err = %v (class %q) after %d attempts, want a connection error after 3", err, outbound.ClassOf(err), calls)
	}
	assertClean(t, err.Error(), addr)
}

func TestSendPolicyRefusalIsNotRetried(t *testing.T) {
	srv := newRecorder(t)
	calls := 0
	s := Sender{Attempts: 4, Backoff: func(int) time.Duration { return time.Millisecond }}
	s.OnAttempt = func(int, error, time.Duration) { calls++ }
	err := s.Send(context.Background(), v1alpha1.ChannelWebhook, srv.URL, nil, msg)
	if outbound.ClassOf(err) != outbound.ClassScheme {
		t.Errorf("class = %q (err %v), want %q", outbound.ClassOf(err), err, outbound.ClassScheme)
	}
	if calls != 0 || len(srv.got()) != 0 {
		t.Errorf("refused address was tried: %d attempts, %d requests", calls, len(srv.got()))
	}
}

func TestSendStopsWhenCanceled(t *testing.T) {
	srv := newRecorder(t, 503)
	ctx, cancel := context.WithCancel(context.Background())
	s := Sender{Policy: loopbackPolicy, Attempts: 10, Backoff: func(int) time.Duration { return time.Hour }}
	s.OnAttempt = func(int, error, time.Duration) { cancel() }
	err := s.Send(ctx, v1alpha1.ChannelSlack, srv.URL, nil, msg)
	if err == nil || len(srv.got()) != 1 {
		t.Errorf("err = %v after %d requests, want an error after 1", err, len(srv.got()))
	}
}

func TestDefaultBackoff(t *testing.T) {
	want := map[int]time.Duration{0: time.Second, 1: 2 * time.Second, 2: 4 * time.Second, 4: 16 * time.Second, 5: 30 * time.Second, 60: 30 * time.Second}
	for attempt, d := range want {
		if got := DefaultBackoff(attempt); got != d {
			t.Errorf("DefaultBackoff(%d) = %s, want %s", attempt, got, d)
		}
	}
}

func TestSendRefusesInvalidHeaders(t *testing.T) {
	tests := map[string]map[string]string{
		"bad name":        {"Bad Name": "x"},
		"line break":      {"X-Token": "abc\r\nX-Injected: 1"},
		"empty name":      {"": "x"},
		"colon in a name": {"X:Y": "x"},
	}
	for name, headers := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newRecorder(t)
			err := fastSender(1).Send(context.Background(), v1alpha1.ChannelWebhook, srv.URL, headers, msg)
			if err == nil || len(srv.got()) != 0 {
				t.Fatalf("err = %v, requests = %d; want a refusal before any request", err, len(srv.got()))
			}
			assertClean(t, err.Error(), "abc", "Injected")
		})
	}
}

func writeSecret(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestReadChannelSecret(t *testing.T) {
	tests := map[string]struct {
		files       map[string]string
		wantAddress string
		wantHeaders map[string]string
		wantErr     bool
	}{
		"address only":       {files: map[string]string{"address": " https://h.example/x\n"}, wantAddress: "https://h.example/x"},
		"yaml headers":       {files: map[string]string{"address": "https://h.example/x", "headers": "Authorization: Bearer s3cret\nX-Team: a\n"}, wantAddress: "https://h.example/x", wantHeaders: map[string]string{"Authorization": "Bearer s3cret", "X-Team": "a"}},
		"json headers":       {files: map[string]string{"address": "https://h.example/x", "headers": `{"X-Team":"a"}`}, wantAddress: "https://h.example/x", wantHeaders: map[string]string{"X-Team": "a"}},
		"empty headers file": {files: map[string]string{"address": "https://h.example/x", "headers": "\n"}, wantAddress: "https://h.example/x"},
		"missing address":    {files: map[string]string{"headers": "X: y"}, wantErr: true},
		"empty address":      {files: map[string]string{"address": "  \n"}, wantErr: true},
		"headers not a map":  {files: map[string]string{"address": "https://h.example/x", "headers": "- s3cret\n"}, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			address, headers, err := ReadChannelSecret(writeSecret(t, tc.files))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if err != nil {
				assertClean(t, err.Error(), "s3cret")
				return
			}
			if address != tc.wantAddress || !reflect.DeepEqual(headers, tc.wantHeaders) {
				t.Errorf("got %q %v, want %q %v", address, headers, tc.wantAddress, tc.wantHeaders)
			}
		})
	}
}

func runMain(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = Main(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestMainDelivers(t *testing.T) {
	srv := newRecorder(t)
	dir := writeSecret(t, map[string]string{
		"address": srv.URL + "/hook?token=abc\n",
		"headers": "Authorization: Bearer xyz\n",
	})
	t.Setenv("MOMENTUM_MESSAGE", msg.Text)
	t.Setenv("MOMENTUM_KIND", "reminder")
	t.Setenv("MOMENTUM_NAME", "weekly-why")
	t.Setenv("MOMENTUM_INITIATIVE", "team-a/onboarding")
	t.Setenv("MOMENTUM_TITLE", "ignored: the flag wins")

	code, stdout, stderr := runMain("--type", "webhook", "--secret-dir", dir, "--title", msg.Title,
		"--allow-http-host", "127.0.0.1", "--allow-cidr", "127.0.0.0/8", "--timeout", "2s")
	if code != ExitOK {
		t.Fatalf("exit code = %d, stderr:\n%s", code, stderr)
	}
	reqs := srv.got()
	if len(reqs) != 1 {
		t.Fatalf("got %d requests, want 1", len(reqs))
	}
	want := map[string]any{"kind": "reminder", "name": "weekly-why", "initiative": "team-a/onboarding", "title": msg.Title, "text": msg.Text}
	if got := decode(t, reqs[0].Body); !reflect.DeepEqual(got, want) {
		t.Errorf("payload = %s, want %v", reqs[0].Body, want)
	}
	if reqs[0].RawPath != "/hook?token=abc" || reqs[0].Header.Get("Authorization") != "Bearer xyz" {
		t.Errorf("request = %s Authorization=%q", reqs[0].RawPath, reqs[0].Header.Get("Authorization"))
	}
	if !strings.Contains(stderr, "Delivered reminder weekly-why to webhook channel (attempt 1)") {
		t.Errorf("stderr = %q, want the delivery logged", stderr)
	}
	assertClean(t, stdout+stderr, srv.URL, "token=abc", "xyz")
}

func TestMainDefaultPolicyRefusesLoopback(t *testing.T) {
	srv := newRecorder(t)
	address := srv.URL + "/hook"
	dir := writeSecret(t, map[string]string{"address": address})
	code, stdout, stderr := runMain("--type", "slack", "--secret-dir", dir, "--message", "hi")
	if code != ExitFailed {
		t.Fatalf("exit code = %d, want %d; stderr:\n%s", code, ExitFailed, stderr)
	}
	if len(srv.got()) != 0 {
		t.Error("loopback server was reached under the default policy")
	}
	if !strings.Contains(stderr, "address must use https") {
		t.Errorf("stderr = %q, want the refusal explained", stderr)
	}
	assertClean(t, stdout+stderr, address, strings.TrimPrefix(srv.URL, "http://"))
}

func TestMainFlags(t *testing.T) {
	dir := writeSecret(t, map[string]string{"address": "https://h.example/x"})
	t.Setenv("MOMENTUM_MESSAGE", "")
	tests := map[string]struct {
		args []string
		want int
	}{
		"missing type":   {args: []string{"--secret-dir", dir, "--message", "hi"}, want: ExitUsage},
		"unknown type":   {args: []string{"--type", "discord", "--secret-dir", dir, "--message", "hi"}, want: ExitUsage},
		"missing text":   {args: []string{"--type", "slack", "--secret-dir", dir}, want: ExitUsage},
		"unknown flag":   {args: []string{"--type", "slack", "--nope"}, want: ExitUsage},
		"bad cidr":       {args: []string{"--type", "slack", "--secret-dir", dir, "--message", "hi", "--allow-cidr", "nope"}, want: ExitUsage},
		"zero attempts":  {args: []string{"--type", "slack", "--secret-dir", dir, "--message", "hi", "--attempts", "0"}, want: ExitUsage},
		"stray argument": {args: []string{"--type", "slack", "--secret-dir", dir, "--message", "hi", "extra"}, want: ExitUsage},
		"missing secret": {args: []string{"--type", "slack", "--secret-dir", filepath.Join(dir, "absent"), "--message", "hi"}, want: ExitFailed},
		"help":           {args: []string{"-h"}, want: ExitOK},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if code, _, stderr := runMain(tc.args...); code != tc.want {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tc.want, stderr)
			}
		})
	}
}

// TestCanary makes delivery fail every way it can and checks a canary
// planted in the address and a header value never surfaces.
func TestCanary(t *testing.T) {
	mainBackoff = func(int) time.Duration { return time.Millisecond }
	t.Cleanup(func() { mainBackoff = nil })
	const canary = "CANARY-7f3e9b2a"
	headers := map[string]string{"Authorization": "Bearer " + canary}
	// Never answers in time: it holds each request until the client gives
	// up or the test ends.
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) }) // runs first: cleanups run last-in, first-out
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	slowPolicy := loopbackPolicy
	slowPolicy.Timeout = 100 * time.Millisecond
	tests := map[string]struct {
		address   string
		policy    *outbound.Policy // nil means loopbackPolicy
		wantClass string
		ambiguous bool // the request was sent: Main exits ExitAmbiguous
	}{
		"404":                {address: newRecorder(t, 404).URL, wantClass: outbound.ClassStatus},
		"503 exhausted":      {address: newRecorder(t, 503).URL, wantClass: outbound.ClassStatus, ambiguous: true},
		"429 exhausted":      {address: newRecorder(t, 429).URL, wantClass: outbound.ClassStatus},
		"redirect":           {address: newRecorder(t, 301).URL, wantClass: outbound.ClassRedirect},
		"timeout":            {address: slow.URL, policy: &slowPolicy, wantClass: outbound.ClassTimeout, ambiguous: true},
		"connection refused": {address: closedURL, wantClass: outbound.ClassConnection},
		"blocked ip":         {address: newRecorder(t).URL, policy: &outbound.Policy{AllowHTTPHosts: []string{"127.0.0.1"}}, wantClass: outbound.ClassBlockedAddress},
		"blocked at dial":    {address: strings.Replace(newRecorder(t).URL, "127.0.0.1", "localhost", 1), policy: &outbound.Policy{AllowHTTPHosts: []string{"localhost"}}, wantClass: outbound.ClassBlockedAddress},
		"default policy":     {address: newRecorder(t).URL, policy: &outbound.Policy{}, wantClass: outbound.ClassScheme},
		"unparsable":         {address: "https://" + canary + ".example/%zz", wantClass: outbound.ClassInvalidURL},
		"credentials":        {address: "https://" + canary + ":" + canary + "@h.example/", wantClass: outbound.ClassInvalidURL},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			address := tc.address + "/" + canary + "?token=" + canary
			if name == "unparsable" || name == "credentials" {
				address = tc.address
			}
			policy := loopbackPolicy
			if tc.policy != nil {
				policy = *tc.policy
			}
			if policy.Timeout == 0 {
				policy.Timeout = 2 * time.Second
			}
			var logs []string
			s := Sender{Policy: policy, Attempts: 2, Backoff: func(int) time.Duration { return time.Millisecond }}
			s.OnAttempt = func(_ int, err error, _ time.Duration) {
				if err != nil {
					logs = append(logs, err.Error())
				}
			}
			err := s.Send(context.Background(), v1alpha1.ChannelWebhook, address, headers, msg)
			if got := outbound.ClassOf(err); got != tc.wantClass {
				t.Fatalf("class = %q (err %v), want %q", got, err, tc.wantClass)
			}
			assertClean(t, err.Error()+strings.Join(logs, "\n"), canary)
			var oe *outbound.Error
			if errors.As(err, &oe) {
				assertClean(t, oe.Detail, canary)
			}

			// The same failure through Main, with the canary in the Secret.
			dir := writeSecret(t, map[string]string{"address": address, "headers": "Authorization: Bearer " + canary + "\n"})
			args := []string{"--type", "webhook", "--secret-dir", dir, "--message", "hi", "--attempts", "2", "--timeout", policy.Timeout.String()}
			for _, h := range policy.AllowHTTPHosts {
				args = append(args, "--allow-http-host", h)
			}
			for _, c := range policy.AllowCIDRs {
				args = append(args, "--allow-cidr", c.String())
			}
			code, stdout, stderr := runMain(args...)
			want := ExitFailed
			if tc.ambiguous {
				want = ExitAmbiguous
			}
			if code != want {
				t.Errorf("Main exit code = %d, want %d; stderr:\n%s", code, want, stderr)
			}
			assertClean(t, stdout+stderr, canary)
		})
	}
}

// assertClean fails if text contains any secret.
func assertClean(t *testing.T, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("output leaks %q:\n%s", s, text)
		}
	}
}
