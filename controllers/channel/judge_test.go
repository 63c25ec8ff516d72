package channel

import (
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/momentum-dev/momentum/api/v1alpha1"
	"github.com/momentum-dev/momentum/internal/outbound"
)

func TestJudge(t *testing.T) {
	secret := func(labels, annotations map[string]string, address string) *corev1.Secret {
		s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "webhook", Labels: labels, Annotations: annotations}, Data: map[string][]byte{}}
		if address != "" {
			s.Data[v1alpha1.SecretKeyAddress] = []byte(address)
		}
		return s
	}
	forChannels := map[string]string{v1alpha1.LabelUsableFor: v1alpha1.PurposeChannel}
	cases := map[string]struct {
		secret     *corev1.Secret
		reason     string
		deprecated bool
	}{
		"usable":       {secret: secret(forChannels, nil, "https://hooks.example.com/x"), reason: v1alpha1.ReasonChannelReady},
		"not labelled": {secret: secret(nil, nil, "https://hooks.example.com/x"), reason: v1alpha1.ReasonSecretNotUsable},
		"labelled for another use": {secret: secret(map[string]string{v1alpha1.LabelUsableFor: v1alpha1.PurposeHTTPHeaders}, nil, "https://hooks.example.com/x"),
			reason: v1alpha1.ReasonSecretNotUsable},
		"the legacy label": {secret: secret(map[string]string{v1alpha1.LabelUsable: "true"}, nil, "https://hooks.example.com/x"),
			reason: v1alpha1.ReasonChannelReady, deprecated: true},
		"no address":                {secret: secret(forChannels, nil, ""), reason: v1alpha1.ReasonAddressMissing},
		"an address refused (http)": {secret: secret(forChannels, nil, "http://hooks.example.com/x"), reason: v1alpha1.ReasonAddressInvalid},
		"a host its owner does not allow": {secret: secret(forChannels, map[string]string{v1alpha1.AnnotationAllowedHosts: "other.example.com"}, "https://hooks.example.com/x"),
			reason: v1alpha1.ReasonSecretNotUsable},
		"a host its owner allows": {secret: secret(forChannels, map[string]string{v1alpha1.AnnotationAllowedHosts: "hooks.example.com"}, "https://hooks.example.com/x"),
			reason: v1alpha1.ReasonChannelReady},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			v := judge(tc.secret, outbound.Policy{})
			g.Expect(v.ready.Reason).To(Equal(tc.reason))
			g.Expect(v.deprecated).To(Equal(tc.deprecated))
			g.Expect(v.ready.Message).To(ContainSubstring("webhook"), "the message names the Secret")
			g.Expect(v.ready.Message).NotTo(ContainSubstring("hooks.example.com/x"), "never the address")
		})
	}
}

func TestHostOf(t *testing.T) {
	cases := map[string]struct{ address, want string }{
		"a URL":       {address: "https://hooks.example.com:8443/x", want: "hooks.example.com"},
		"with spaces": {address: "  https://hooks.example.com/x ", want: "hooks.example.com"},
		"not a URL":   {address: "://", want: ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			NewWithT(t).Expect(outbound.Host(tc.address)).To(Equal(tc.want))
		})
	}
}
