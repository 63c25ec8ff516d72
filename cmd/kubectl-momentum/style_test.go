package main

import (
	"bytes"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

func TestFancy(t *testing.T) {
	cases := map[string]struct {
		flag     bool   // --no-color
		env      string // NO_COLOR
		terminal bool   // the output is a terminal
		want     bool
	}{
		"terminal":                 {terminal: true, want: true},
		"pipe or file":             {},
		"terminal with --no-color": {flag: true, terminal: true},
		"terminal with NO_COLOR":   {env: "1", terminal: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(fancy(tc.flag, tc.env, tc.terminal)).To(Equal(tc.want))
		})
	}
}

func TestStyleOfABufferIsPlain(t *testing.T) {
	var out bytes.Buffer
	NewWithT(t).Expect(newApp(ioStreams(&out), time.Now).style(&out).Fancy).To(BeFalse())
}

func TestVersion(t *testing.T) {
	g := NewWithT(t)
	var out bytes.Buffer
	g.Expect(run(t.Context(), newApp(ioStreams(&out), time.Now), []string{"version"})).To(Equal(0))
	g.Expect(out.String()).To(Equal("kubectl-momentum dev\n"))
}
