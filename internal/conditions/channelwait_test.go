package conditions

import (
	"testing"

	. "github.com/onsi/gomega"

	"github.com/momentum-dev/momentum/api/v1alpha1"
)

func TestChannelWait(t *testing.T) {
	cases := map[string]struct {
		pending bool
		names   []string
		reason  string
		warn    bool
		message string
	}{
		"not checked yet: quietly": {pending: true, names: []string{"team"}, reason: v1alpha1.ReasonChannelPending,
			message: "Waiting for Channel team to be checked before anything is scheduled to it"},
		"not Ready: a Warning": {names: []string{"a", "b"}, reason: v1alpha1.ReasonChannelNotReady, warn: true,
			message: "Channel a, b is not Ready, so nothing is scheduled to it: see `kubectl describe channel a -n culture`"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			ready, warn := ChannelWait(tc.pending, tc.names, "culture", "anything is scheduled", "so nothing is scheduled to it")
			g.Expect(ready.Reason).To(Equal(tc.reason))
			g.Expect(ready.Message).To(Equal(tc.message))
			g.Expect(warn).To(Equal(tc.warn))
		})
	}
}
