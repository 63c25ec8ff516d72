package notify

import (
	"regexp"
	"strings"
)

// zwsp (a zero-width space) breaks syntax that would otherwise act, while
// the text still reads the same.
const zwsp = "\u200b"

// slackEscaper escapes the three characters Slack's mrkdwn gives meaning
// (https://api.slack.com/reference/surfaces/formatting#escaping), so
// <!channel>, <!here>, <@U123> and <https://evil|click> show as typed
// instead of notifying everyone or hiding where a link goes.
var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// teamsEscaper breaks the markdown link syntax of an Adaptive Card
// TextBlock: inline links [text](url), reference links [text][ref] and
// their definitions [ref]: url all need a "]" right before "(", "[" or ":".
// A bare URL still shows as itself.
var teamsEscaper = strings.NewReplacer("](", "]"+zwsp+"(", "][", "]"+zwsp+"[", "]:", "]"+zwsp+":")

// mention is an @ at the start of a word (not inside an e-mail address)
// followed by a name: @here, @channel, @everyone or @someone.
var mention = regexp.MustCompile(`(^|[^\p{L}\p{N}_])@([\p{L}\p{N}])`)

// teamsAt is the opening of a Teams <at>mention</at>.
var teamsAt = regexp.MustCompile(`(?i)<(at[\s>])`)

// defuseMentions puts a zero-width space after the @ of every mention, so
// no service reads it as one.
func defuseMentions(s string) string {
	return mention.ReplaceAllString(s, "${1}@"+zwsp+"${2}")
}

// slackText is user text made safe for a Slack message.
func slackText(s string) string {
	return defuseMentions(slackEscaper.Replace(s))
}

// teamsText is user text made safe for a Teams Adaptive Card TextBlock.
func teamsText(s string) string {
	return defuseMentions(teamsAt.ReplaceAllString(teamsEscaper.Replace(s), "<"+zwsp+"${1}"))
}
