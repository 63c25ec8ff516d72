// Package view renders Momentum objects for people: the `status`, `list`
// and `why` screens of the kubectl plugin. Every function is pure: it reads
// the objects and an injected clock and returns text, so that output is
// table-tested and golden-tested.
package view

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"k8s.io/apimachinery/pkg/util/duration"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

// Style is how text is drawn: Fancy is colour and Unicode (a terminal),
// otherwise plain ASCII (a pipe, a file, --no-color or NO_COLOR).
type Style struct {
	Fancy bool
}

// colName is the first column of the tables that list objects.
const colName = "NAME"

// ANSI colours.
const (
	red    = "31"
	green  = "32"
	yellow = "33"
	grey   = "90"
	bold   = "1"
)

func (s Style) paint(code, text string) string {
	if !s.Fancy || code == "" || text == "" {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

// check is a met/unmet box.
func (s Style) check(met bool) string {
	switch {
	case met && s.Fancy:
		return s.paint(green, "✔")
	case s.Fancy:
		return s.paint(red, "✘")
	case met:
		return "[x]"
	default:
		return "[ ]"
	}
}

// healthColour is the colour of a health or trend word.
func healthColour(word string) string {
	switch word {
	case string(v1alpha1.HealthOnTarget), string(v1alpha1.TrendImproving), "True", "OnTrack":
		return green
	case string(v1alpha1.HealthAtRisk), string(v1alpha1.TrendSteady):
		return yellow
	case string(v1alpha1.HealthOffTarget), string(v1alpha1.TrendDeclining), "False", "Failing", "AtRisk!":
		return red
	}
	return grey
}

func (s Style) word(w string) string { return s.paint(healthColour(w), w) }

// bar draws pct (0-100) in width cells.
func (s Style) bar(pct int32, width int) string {
	pct = max(0, min(100, pct))
	full := int(math.Round(float64(pct) * float64(width) / 100))
	if s.Fancy {
		return s.paint(green, strings.Repeat("█", full)) + s.paint(grey, strings.Repeat("░", width-full))
	}
	return "[" + strings.Repeat("#", full) + strings.Repeat("-", width-full) + "]"
}

var (
	sparkFancy = []rune("▁▂▃▄▅▆▇█")
	sparkASCII = []rune("_.-~=+*#")
)

// spark draws values as a sparkline scaled between their minimum and maximum.
func (s Style) spark(values []float64) string {
	levels := sparkASCII
	if s.Fancy {
		levels = sparkFancy
	}
	if len(values) == 0 {
		return "-"
	}
	lo, hi := values[0], values[0]
	for _, v := range values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	var b strings.Builder
	for _, v := range values {
		i := len(levels) / 2
		if hi > lo {
			i = int(math.Round((v - lo) / (hi - lo) * float64(len(levels)-1)))
		}
		b.WriteRune(levels[i])
	}
	return b.String()
}

// arrow marks the current item of a list.
func (s Style) arrow() string {
	if s.Fancy {
		return "▶"
	}
	return ">"
}

// dash is an empty cell.
func (s Style) dash() string {
	if s.Fancy {
		return "–"
	}
	return "-"
}

// age is kubectl's short human duration (as in the AGE column).
func age(d time.Duration) string {
	if d < 0 {
		return "in " + duration.HumanDuration(-d)
	}
	return duration.HumanDuration(d)
}

// date prints a time in UTC to the minute.
func date(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }

// table lays out rows in columns two spaces apart, measuring visible width
// (ANSI escapes and multi-byte runes do not count).
func table(indent string, rows [][]string) string {
	widths := map[int]int{}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], visible(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		line := indent
		for i, c := range r {
			if i == len(r)-1 {
				line += c
				break
			}
			line += c + strings.Repeat(" ", widths[i]-visible(c)+2)
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	return b.String()
}

// visible is the printed width of s.
func visible(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			end := strings.IndexByte(s[i:], 'm')
			if end < 0 {
				break
			}
			i += end + 1
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return n
}

func heading(s Style, format string, args ...any) string {
	return s.paint(bold, fmt.Sprintf(format, args...)) + "\n"
}
