package outbound

import (
	"net/netip"
	"testing"

	. "github.com/onsi/gomega"
)

func TestBlocked(t *testing.T) {
	tests := map[string]struct {
		addr   string
		allow  []string // --allow-cidr values
		reason string   // "" means reachable
	}{
		"public IPv4":                       {addr: "93.184.215.14"},
		"public IPv6":                       {addr: "2606:2800:21f:cb07:6820:80da:af6b:8b2c"},
		"IETF protocol assignments (first)": {addr: "192.0.0.0", reason: "IETF protocol assignments"},
		"IETF protocol assignments (last)":  {addr: "192.0.0.255", reason: "IETF protocol assignments"},
		"just past IETF assignments":        {addr: "192.0.1.0"},
		"benchmarking (first)":              {addr: "198.18.0.0", reason: "benchmarking"},
		"benchmarking (last)":               {addr: "198.19.255.255", reason: "benchmarking"},
		"just past benchmarking":            {addr: "198.20.0.0"},
		"just before benchmarking":          {addr: "198.17.255.255"},
		"documentation TEST-NET-1":          {addr: "192.0.2.1", reason: "documentation"},
		"documentation TEST-NET-3":          {addr: "203.0.113.9", reason: "documentation"},
		"6to4 relay anycast":                {addr: "192.88.99.1", reason: "6to4 relay"},
		"broadcast":                         {addr: "255.255.255.255", reason: "broadcast"},
		"reserved":                          {addr: "240.0.0.1", reason: "reserved"},
		"this network":                      {addr: "0.1.2.3", reason: "unspecified"},
		"metadata":                          {addr: "169.254.169.254", reason: "link-local"},
		"local-use NAT64 (first)":           {addr: "64:ff9b:1::", reason: "local-use NAT64"},
		"local-use NAT64 embedding public":  {addr: "64:ff9b:1:5db8:d70e::", reason: "local-use NAT64"},
		"local-use NAT64 (last)":            {addr: "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", reason: "local-use NAT64"},
		"just past local-use NAT64":         {addr: "64:ff9b:2::"},
		"6to4 embedding loopback":           {addr: "2002:7f00:1::1", reason: "6to4"},
		"6to4 embedding metadata":           {addr: "2002:a9fe:a9fe::", reason: "6to4"},
		"6to4 embedding a public address":   {addr: "2002:5db8:d70e::1", reason: "6to4"},
		"6to4 allowed explicitly":           {addr: "2002:7f00:1::1", allow: []string{"2002::/16"}},
		"Teredo":                            {addr: "2001:0:4136:e378:8000:63bf:3fff:fdd2", reason: "Teredo"},
		"just past Teredo":                  {addr: "2001:1::1"},
		"NAT64 of a public address":         {addr: "64:ff9b::5db8:d70e"},
		"NAT64 of loopback":                 {addr: "64:ff9b::127.0.0.1", reason: "NAT64 of loopback"},
		"NAT64 of benchmarking":             {addr: "64:ff9b::198.18.0.1", reason: "NAT64 of benchmarking"},
		"NAT64 of an allowed address":       {addr: "64:ff9b::10.1.2.3", allow: []string{"10.0.0.0/8"}},
		"NAT64 allowed as IPv6":             {addr: "64:ff9b::10.1.2.3", allow: []string{"64:ff9b::/96"}},
		"outside both NAT64 prefixes":       {addr: "64:ff9b::1:5db8:d70e"},
		"IPv4-mapped loopback":              {addr: "::ffff:127.0.0.1", reason: "loopback"},
		"IPv4-mapped benchmarking":          {addr: "::ffff:198.18.0.1", reason: "benchmarking"},
		"IPv4-mapped public":                {addr: "::ffff:93.184.215.14"},
		"IPv4-mapped allowed as IPv4":       {addr: "::ffff:192.0.0.8", allow: []string{"192.0.0.0/24"}},
		"IPv4-compatible loopback":          {addr: "::127.0.0.1", reason: "IPv4-compatible"},
		"IPv4-translated":                   {addr: "::ffff:0:7f00:1", reason: "IPv4-translated"},
		"IPv6 unspecified":                  {addr: "::", reason: "unspecified"},
		"IPv6 loopback":                     {addr: "::1", reason: "loopback"},
		"IPv6 link-local with a zone":       {addr: "fe80::1%eth0", reason: "link-local"},
		"IPv6 unique local":                 {addr: "fd12::1", reason: "private"},
		"IPv6 documentation":                {addr: "2001:db8::1", reason: "documentation"},
		"IPv6 documentation (3fff::/20)":    {addr: "3fff::1", reason: "documentation"},
		"IPv6 benchmarking":                 {addr: "2001:2::1", reason: "benchmarking"},
		"IPv6 discard-only":                 {addr: "100::1", reason: "discard-only"},
		"IPv6 multicast":                    {addr: "ff02::1", reason: "multicast"},
		"IPv6 site-local":                   {addr: "fec0::1", reason: "site-local"},
		"an allowance is exact":             {addr: "198.18.0.1", allow: []string{"192.0.0.0/24"}, reason: "benchmarking"},
		"invalid":                           {addr: "", reason: "invalid"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			var a netip.Addr
			if tc.addr != "" {
				a = netip.MustParseAddr(tc.addr)
			}
			allow, err := ParseCIDRs(tc.allow)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(Policy{AllowCIDRs: allow}.blocked(a)).To(Equal(tc.reason))
		})
	}
}
