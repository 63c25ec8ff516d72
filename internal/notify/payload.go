// Package notify delivers one rendered message to a Channel: it builds the
// payload each service documents and posts it through the outbound policy,
// retrying what may succeed later and never revealing the (secret) address.
package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// Message is one rendered notification.
type Message struct {
	// Text is the rendered message, already final.
	Text string
	// Title is an optional short title, e.g. "Reminder: weekly-why".
	Title string
	// Initiative is "namespace/name" of the source initiative.
	Initiative string
	// Kind is "reminder", "spotlight" or "celebration".
	Kind string
	// Name is the reminder, campaign or event name.
	Name string
	// Key identifies the delivery (a win, a digest, a reminder run); it is
	// sent to webhooks as the Idempotency-Key header, never in the body.
	Key string
}

type slackPayload struct {
	Text string `json:"text"`
}

type teamsPayload struct {
	Type        string            `json:"type"`
	Attachments []teamsAttachment `json:"attachments"`
}

type teamsAttachment struct {
	ContentType string    `json:"contentType"`
	ContentURL  *string   `json:"contentUrl"` // always null, as Teams documents
	Content     teamsCard `json:"content"`
}

type teamsCard struct {
	Schema  string           `json:"$schema"`
	Type    string           `json:"type"`
	Version string           `json:"version"`
	Body    []teamsTextBlock `json:"body"`
}

type teamsTextBlock struct {
	Type   string `json:"type"`
	Text   string `json:"text"`
	Weight string `json:"weight,omitempty"`
	Size   string `json:"size,omitempty"`
	Wrap   bool   `json:"wrap"`
}

type webhookPayload struct {
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	Initiative string `json:"initiative"`
	Title      string `json:"title"`
	Text       string `json:"text"`
}

// Payload renders m as the JSON body the service behind t expects: a Slack
// incoming webhook, a Teams Workflows Adaptive Card, or Momentum's own
// generic webhook schema. Title and text come from users (templates,
// nominations), so for Slack and Teams they are escaped: they show as
// written, never as mentions that notify a channel or links whose label
// hides their address. The generic webhook carries them as they are.
func Payload(t v1alpha1.ChannelType, m Message) ([]byte, error) {
	if m.Text == "" {
		return nil, errors.New("message text is empty")
	}
	var v any
	switch t {
	case v1alpha1.ChannelSlack:
		text := slackText(m.Text)
		if m.Title != "" {
			text = "*" + slackText(m.Title) + "*\n" + text
		}
		v = slackPayload{Text: text}
	case v1alpha1.ChannelMSTeams:
		body := make([]teamsTextBlock, 0, 2)
		if m.Title != "" {
			body = append(body, teamsTextBlock{Type: "TextBlock", Text: teamsText(m.Title), Weight: "Bolder", Size: "Medium", Wrap: true})
		}
		body = append(body, teamsTextBlock{Type: "TextBlock", Text: teamsText(m.Text), Wrap: true})
		v = teamsPayload{
			Type: "message",
			Attachments: []teamsAttachment{{
				ContentType: "application/vnd.microsoft.card.adaptive",
				Content: teamsCard{
					Schema:  "http://adaptivecards.io/schemas/adaptive-card.json",
					Type:    "AdaptiveCard",
					Version: "1.4",
					Body:    body,
				},
			}},
		}
	case v1alpha1.ChannelWebhook:
		v = webhookPayload{Kind: m.Kind, Name: m.Name, Initiative: m.Initiative, Title: m.Title, Text: m.Text}
	default:
		return nil, fmt.Errorf("unsupported channel type %q", t)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// The text is escaped for its target above; JSON needs no HTML escaping.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encoding %s payload: %w", t, err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
