package notify

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// TestSendEscapesUserText posts hostile text from templates and nominations
// to a local server and reads the text each service would display.
func TestSendEscapesUserText(t *testing.T) {
	tests := map[string]struct {
		typ       v1alpha1.ChannelType
		title     string
		text      string
		wantTitle string // the Slack title is the first line of its text
		wantText  string
	}{
		"slack: <!channel> shows as typed":     {typ: v1alpha1.ChannelSlack, text: "<!channel> urgent", wantText: "&lt;!channel&gt; urgent"},
		"slack: <!here>":                       {typ: v1alpha1.ChannelSlack, text: "<!here>", wantText: "&lt;!here&gt;"},
		"slack: <!everyone>":                   {typ: v1alpha1.ChannelSlack, text: "hi <!everyone|all>", wantText: "hi &lt;!everyone|all&gt;"},
		"slack: a user mention":                {typ: v1alpha1.ChannelSlack, text: "<@U123> did it", wantText: "&lt;@\u200bU123&gt; did it"},
		"slack: a spoofed link":                {typ: v1alpha1.ChannelSlack, text: "<https://evil.example|https://intranet.example>", wantText: "&lt;https://evil.example|https://intranet.example&gt;"},
		"slack: plain @here and @channel":      {typ: v1alpha1.ChannelSlack, text: "@here, @channel (@everyone)", wantText: "@\u200bhere, @\u200bchannel (@\u200beveryone)"},
		"slack: ampersand":                     {typ: v1alpha1.ChannelSlack, text: "Q&A at 5 > 4", wantText: "Q&amp;A at 5 &gt; 4"},
		"slack: an escape shows as typed":      {typ: v1alpha1.ChannelSlack, text: "&lt;!channel&gt;", wantText: "&amp;lt;!channel&amp;gt;"},
		"slack: e-mail addresses stay":         {typ: v1alpha1.ChannelSlack, text: "write to dana@example.com", wantText: "write to dana@example.com"},
		"slack: bare URLs and emphasis stay":   {typ: v1alpha1.ChannelSlack, text: "*Read* https://example.com/why", wantText: "*Read* https://example.com/why"},
		"slack: the title is escaped too":      {typ: v1alpha1.ChannelSlack, title: "<!channel>", text: "x", wantTitle: "*&lt;!channel&gt;*", wantText: "x"},
		"teams: an inline link":                {typ: v1alpha1.ChannelMSTeams, text: "[Intranet](https://evil.example)", wantText: "[Intranet]\u200b(https://evil.example)"},
		"teams: a reference link":              {typ: v1alpha1.ChannelMSTeams, text: "[Intranet][1]\n\n[1]: https://evil.example", wantText: "[Intranet]\u200b[1]\n\n[1]\u200b: https://evil.example"},
		"teams: a shortcut reference":          {typ: v1alpha1.ChannelMSTeams, text: "[Intranet]\n\n[Intranet]: https://evil.example", wantText: "[Intranet]\n\n[Intranet]\u200b: https://evil.example"},
		"teams: an <at> mention":               {typ: v1alpha1.ChannelMSTeams, text: "<at>General</at> <AT id=\"0\">x</AT>", wantText: "<\u200bat>General</at> <\u200bAT id=\"0\">x</AT>"},
		"teams: plain @channel":                {typ: v1alpha1.ChannelMSTeams, text: "@channel @team", wantText: "@\u200bchannel @\u200bteam"},
		"teams: brackets and emphasis stay":    {typ: v1alpha1.ChannelMSTeams, text: "**Sam** [support] (48h) <3", wantText: "**Sam** [support] (48h) <3"},
		"teams: the title is escaped too":      {typ: v1alpha1.ChannelMSTeams, title: "[x](https://evil.example)", text: "y", wantTitle: "[x]\u200b(https://evil.example)", wantText: "y"},
		"webhook: JSON carries the text as is": {typ: v1alpha1.ChannelWebhook, title: "<!here>", text: "<!channel> [x](y) @here & <@U1>", wantTitle: "<!here>", wantText: "<!channel> [x](y) @here & <@U1>"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			srv := newRecorder(t)
			m := Message{Title: tc.title, Text: tc.text, Kind: "spotlight", Name: "customer-heroes", Initiative: "culture/customer-first"}
			g.Expect(fastSender(1).Send(context.Background(), tc.typ, srv.URL+"/hook", nil, m)).To(Succeed())
			reqs := srv.got()
			g.Expect(reqs).To(HaveLen(1))
			title, text := shownText(t, tc.typ, reqs[0].Body)
			g.Expect(text).To(Equal(tc.wantText))
			g.Expect(title).To(Equal(tc.wantTitle))
		})
	}
}

// shownText extracts the title and text a service would display from a payload.
func shownText(t *testing.T, typ v1alpha1.ChannelType, body []byte) (title, text string) {
	t.Helper()
	var p struct {
		Text        string `json:"text"`
		Title       string `json:"title"`
		Attachments []struct {
			Content struct {
				Body []struct {
					Text   string `json:"text"`
					Weight string `json:"weight"`
				} `json:"body"`
			} `json:"content"`
		} `json:"attachments"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("payload is not JSON: %v\n%s", err, body)
	}
	switch typ {
	case v1alpha1.ChannelSlack:
		if first, rest, ok := strings.Cut(p.Text, "\n"); ok && strings.HasPrefix(first, "*") {
			return first, rest
		}
		return "", p.Text
	case v1alpha1.ChannelMSTeams:
		for _, b := range p.Attachments[0].Content.Body {
			if b.Weight == "Bolder" {
				title = b.Text
			} else {
				text = b.Text
			}
		}
		return title, text
	}
	return p.Title, p.Text
}
