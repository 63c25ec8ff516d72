package notify

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/cronjobs"
	"github.com/momentum-dev/momentum/internal/outbound"
)

func TestExitAmbiguousMatchesTheJobs(t *testing.T) {
	NewWithT(t).Expect(ExitAmbiguous).To(Equal(cronjobs.ExitAmbiguous), "the delivery Jobs' pod failure policy keys on it")
}

func TestRetry(t *testing.T) {
	slack, teams, hook := v1alpha1.ChannelSlack, v1alpha1.ChannelMSTeams, v1alpha1.ChannelWebhook
	tests := map[string]struct {
		channel v1alpha1.ChannelType
		keyed   bool // the message carries an idempotency key
		failure Failure
		want    bool
	}{
		"refused before sending, slack":        {channel: slack, failure: Failure{Class: outbound.ClassConnection}, want: true},
		"refused before sending, teams":        {channel: teams, failure: Failure{Class: outbound.ClassConnection}, want: true},
		"dial timeout, nothing sent":           {channel: slack, failure: Failure{Class: outbound.ClassTimeout}, want: true},
		"timeout after sending, slack":         {channel: slack, failure: Failure{Class: outbound.ClassTimeout, Sent: true}},
		"timeout after sending, teams":         {channel: teams, failure: Failure{Class: outbound.ClassTimeout, Sent: true}},
		"timeout after sending, keyed webhook": {channel: hook, keyed: true, failure: Failure{Class: outbound.ClassTimeout, Sent: true}, want: true},
		"timeout after sending, unkeyed hook":  {channel: hook, failure: Failure{Class: outbound.ClassTimeout, Sent: true}},
		"reset after sending, slack":           {channel: slack, failure: Failure{Class: outbound.ClassConnection, Sent: true}},
		"reset after sending, keyed webhook":   {channel: hook, keyed: true, failure: Failure{Class: outbound.ClassConnection, Sent: true}, want: true},
		"503, slack":                           {channel: slack, failure: Failure{Class: outbound.ClassStatus, Status: 503, Sent: true}},
		"503, keyed webhook":                   {channel: hook, keyed: true, failure: Failure{Class: outbound.ClassStatus, Status: 503, Sent: true}, want: true},
		"429, slack: declined":                 {channel: slack, failure: Failure{Class: outbound.ClassStatus, Status: 429, Sent: true}, want: true},
		"404, keyed webhook":                   {channel: hook, keyed: true, failure: Failure{Class: outbound.ClassStatus, Status: 404, Sent: true}},
		"blocked address":                      {channel: hook, keyed: true, failure: Failure{Class: outbound.ClassBlockedAddress}},
		"redirect":                             {channel: slack, failure: Failure{Class: outbound.ClassRedirect, Status: 302, Sent: true}},
		"canceled":                             {channel: hook, keyed: true, failure: Failure{Class: outbound.ClassCanceled}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			g.Expect(Retry(tc.channel, tc.keyed, tc.failure)).To(Equal(tc.want))
		})
	}
}

// flaky is a receiver that processes every message it reads and then fails
// the request in its own way; it counts what it processed per key.
type flaky struct {
	*httptest.Server
	mu        sync.Mutex
	processed int
	keys      map[string]int
}

func newFlaky(t *testing.T, fail func(w http.ResponseWriter, r *http.Request)) *flaky {
	f := &flaky{keys: map[string]int{}}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		f.mu.Lock()
		f.processed++
		f.keys[r.Header.Get(HeaderIdempotencyKey)]++
		f.mu.Unlock()
		fail(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

// answerLate answers 200 only after the client gave up.
func answerLate(w http.ResponseWriter, r *http.Request) {
	<-r.Context().Done()
	w.WriteHeader(http.StatusOK)
}

// resetAfterBody resets the connection once the body is read.
func resetAfterBody(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // close with RST
	}
	_ = conn.Close()
}

// TestFlakyReceivers sends one keyed message with four attempts to a
// receiver that processes it but answers after the timeout, and to one
// that resets the connection after reading the body, for every channel
// type, and counts the copies processed: one for Slack and Teams (at most
// once), and for webhooks several POSTs that all carry the same key, so a
// receiver that deduplicates by key processes it once.
func TestFlakyReceivers(t *testing.T) {
	receivers := map[string]func(http.ResponseWriter, *http.Request){"answers after the timeout": answerLate, "resets after the body": resetAfterBody}
	for rname, fail := range receivers {
		for _, ch := range []v1alpha1.ChannelType{v1alpha1.ChannelSlack, v1alpha1.ChannelMSTeams, v1alpha1.ChannelWebhook} {
			t.Run(rname+"/"+string(ch), func(t *testing.T) {
				g := NewWithT(t)
				f := newFlaky(t, fail)
				policy := loopbackPolicy
				policy.Timeout = 300 * time.Millisecond
				s := Sender{Policy: policy, Attempts: 4, Backoff: func(int) time.Duration { return time.Millisecond }}
				m := msg
				m.Key = "celebration/team-a/onboarding/stage-Initiation"
				err := s.Send(context.Background(), ch, f.URL, nil, m)
				g.Expect(err).To(HaveOccurred())
				g.Expect(Ambiguous(err)).To(BeTrue(), "the receiver may have the message")
				f.mu.Lock()
				defer f.mu.Unlock()
				fmt.Printf("flaky receiver (%s), %s: %d POST(s) processed, %d distinct key(s); guarantee: %s\n", rname, ch, f.processed, len(f.keys), Guarantee(ch))
				if ch == v1alpha1.ChannelWebhook {
					g.Expect(f.processed).To(Equal(4), "a keyed webhook is retried")
					g.Expect(f.keys).To(Equal(map[string]int{m.Key: 4}), "every copy carries the same key")
					return
				}
				g.Expect(f.processed).To(Equal(1), "at most once")
				g.Expect(f.keys).To(HaveKey(""), "no key header for %s", ch)
			})
		}
	}
}
