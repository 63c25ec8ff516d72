package notify

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/outbound"
)

// DefaultSecretDir is where the Channel's Secret is mounted in the Job.
const DefaultSecretDir = "/etc/momentum/channel"

// Exit codes of Main.
const (
	// ExitOK: the message was delivered.
	ExitOK = 0
	// ExitFailed: delivery failed, and the receiver did not get the
	// message: a new attempt is safe.
	ExitFailed = 1
	// ExitUsage: the flags were wrong.
	ExitUsage = 2
	// ExitAmbiguous: delivery failed after the request was sent (a timeout,
	// a reset, a server error): the receiver may have the message, so only
	// a receiver that deduplicates by idempotency key may be sent it again.
	ExitAmbiguous = 3
)

// mainBackoff lets tests shorten Main's waits; nil means DefaultBackoff.
var mainBackoff func(attempt int) time.Duration

// ReadChannelSecret reads the mounted Secret directory: "address" is
// required, "headers" is an optional YAML or JSON map of strings. Errors
// name files, never their contents.
func ReadChannelSecret(dir string) (address string, headers map[string]string, err error) {
	raw, err := os.ReadFile(filepath.Join(dir, v1alpha1.SecretKeyAddress))
	if err != nil {
		return "", nil, fmt.Errorf("reading channel secret key %q: %w", v1alpha1.SecretKeyAddress, err)
	}
	address = strings.TrimSpace(string(raw))
	if address == "" {
		return "", nil, fmt.Errorf("channel secret key %q is empty", v1alpha1.SecretKeyAddress)
	}
	raw, err = os.ReadFile(filepath.Join(dir, v1alpha1.SecretKeyHeaders))
	if errors.Is(err, fs.ErrNotExist) {
		return address, nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("reading channel secret key %q: %w", v1alpha1.SecretKeyHeaders, err)
	}
	if strings.TrimSpace(string(raw)) == "" {
		return address, nil, nil
	}
	// The parser's message may quote the (secret) content, so it is dropped.
	if err := yaml.Unmarshal(raw, &headers); err != nil {
		return "", nil, fmt.Errorf("channel secret key %q is not a YAML or JSON map of strings (quote numbers and booleans)", v1alpha1.SecretKeyHeaders)
	}
	return address, headers, nil
}

type options struct {
	channelType  string
	secretDir    string
	message      Message
	allowHTTP    outbound.FlagList
	allowCIDR    outbound.FlagList
	timeout      time.Duration
	attempts     int
	channelLabel v1alpha1.ChannelType
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	flags := flag.NewFlagSet("notify", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprintln(stderr, "Usage: manager notify --type slack|msteams|webhook [flags]")
		fmt.Fprintln(stderr, "Delivers one message to the channel whose Secret is mounted at --secret-dir.")
		flags.PrintDefaults()
	}
	flags.StringVar(&o.channelType, "type", "", "channel type: slack, msteams or webhook (required)")
	flags.StringVar(&o.secretDir, "secret-dir", DefaultSecretDir, "directory holding the channel Secret's \"address\" and optional \"headers\" files")
	flags.StringVar(&o.message.Text, "message", os.Getenv("MOMENTUM_MESSAGE"), "rendered message text (default $MOMENTUM_MESSAGE)")
	flags.StringVar(&o.message.Title, "title", os.Getenv("MOMENTUM_TITLE"), "optional title (default $MOMENTUM_TITLE)")
	flags.StringVar(&o.message.Kind, "kind", os.Getenv("MOMENTUM_KIND"), "reminder, spotlight or celebration (default $MOMENTUM_KIND)")
	flags.StringVar(&o.message.Name, "name", os.Getenv("MOMENTUM_NAME"), "reminder, campaign or event name (default $MOMENTUM_NAME)")
	flags.StringVar(&o.message.Key, "idempotency-key", os.Getenv("MOMENTUM_IDEMPOTENCY_KEY"), "key of this delivery, sent to webhooks as the Idempotency-Key header (default $MOMENTUM_IDEMPOTENCY_KEY)")
	flags.StringVar(&o.message.Initiative, "initiative", os.Getenv("MOMENTUM_INITIATIVE"), "namespace/name of the initiative (default $MOMENTUM_INITIATIVE)")
	flags.Var(&o.allowHTTP, "allow-http-host", "host or host:port that may be reached over plain http (repeatable)")
	flags.Var(&o.allowCIDR, "allow-cidr", "destination range allowed although private, loopback or link-local (repeatable)")
	flags.DurationVar(&o.timeout, "timeout", outbound.DefaultTimeout, "timeout of each attempt")
	flags.IntVar(&o.attempts, "attempts", DefaultAttempts, "total number of attempts")
	if err := flags.Parse(args); err != nil {
		return nil, err
	}
	if flags.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(flags.Args(), " "))
	}
	switch t := v1alpha1.ChannelType(o.channelType); t {
	case v1alpha1.ChannelSlack, v1alpha1.ChannelMSTeams, v1alpha1.ChannelWebhook:
		o.channelLabel = t
	case "":
		return nil, errors.New("--type is required (slack, msteams or webhook)")
	default:
		return nil, fmt.Errorf("--type %q is not one of slack, msteams, webhook", o.channelType)
	}
	if o.message.Text == "" {
		return nil, errors.New("--message (or MOMENTUM_MESSAGE) is required")
	}
	if o.timeout <= 0 {
		return nil, errors.New("--timeout must be positive")
	}
	if o.attempts < 1 {
		return nil, errors.New("--attempts must be at least 1")
	}
	return o, nil
}

// Main is the `notify` command of the manager binary (manager notify
// [flags]); it runs in a Job so the controller never holds webhook
// addresses. It returns the process exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	_ = stdout // everything, including progress, goes to stderr
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "Refused flags: %v\n", err)
		return ExitUsage
	}
	cidrs, err := outbound.ParseCIDRs(o.allowCIDR)
	if err != nil {
		fmt.Fprintf(stderr, "Refused flags: --allow-cidr: %v\n", err)
		return ExitUsage
	}
	address, headers, err := ReadChannelSecret(o.secretDir)
	if err != nil {
		fmt.Fprintf(stderr, "Failed to read channel secret: %v\n", err)
		return ExitFailed
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	what := describe(o.message)
	sender := Sender{
		Policy:   outbound.Policy{AllowHTTPHosts: o.allowHTTP, AllowCIDRs: cidrs, Timeout: o.timeout},
		Attempts: o.attempts,
		Backoff:  mainBackoff,
		OnAttempt: func(attempt int, err error, next time.Duration) {
			switch {
			case err == nil:
				fmt.Fprintf(stderr, "Delivered %s to %s channel (attempt %d)\n", what, o.channelLabel, attempt)
			case next > 0:
				fmt.Fprintf(stderr, "Failed to deliver %s to %s channel (attempt %d of %d): %v; retrying in %s\n", what, o.channelLabel, attempt, o.attempts, err, next)
			default:
				fmt.Fprintf(stderr, "Failed to deliver %s to %s channel (attempt %d of %d): %v\n", what, o.channelLabel, attempt, o.attempts, err)
			}
		},
	}
	if err := sender.Send(ctx, o.channelLabel, address, headers, o.message); err != nil {
		if Ambiguous(err) {
			fmt.Fprintf(stderr, "Gave up delivering %s to %s channel, which may have received it, so it is not sent again: %v\n", what, o.channelLabel, err)
			return ExitAmbiguous
		}
		fmt.Fprintf(stderr, "Gave up delivering %s to %s channel: %v\n", what, o.channelLabel, err)
		return ExitFailed
	}
	return ExitOK
}

// describe names the message for logs, e.g. "reminder weekly-why".
func describe(m Message) string {
	kind := m.Kind
	if kind == "" {
		kind = "message"
	}
	if m.Name == "" {
		return kind
	}
	return kind + " " + m.Name
}
