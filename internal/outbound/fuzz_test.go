package outbound

import (
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

// mustBlock is the property's oracle, written apart from blockedRanges:
// Go's own classification plus the ranges the README and issue 7 name.
var mustBlock = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "240.0.0.0/4",
		"::/96", "::ffff:0:0:0/96", "64:ff9b:1::/48", "2001::/32", "2002::/16", "fec0::/10",
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

func oracleBlocks(a netip.Addr) bool {
	if a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsMulticast() || a.IsUnspecified() {
		return true
	}
	for _, p := range mustBlock {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func allowedBy(allow []netip.Prefix, addrs ...netip.Addr) bool {
	for _, p := range allow {
		for _, a := range addrs {
			if p.Contains(a) {
				return true
			}
		}
	}
	return false
}

// FuzzAddressPolicy checks the property of the address policy: an address
// it lets through is in no blocked range (nor, for NAT64, embeds a blocked
// IPv4 address) unless an --allow-cidr covers it; and the URL check and the
// dial-time check decide as the policy does.
func FuzzAddressPolicy(f *testing.F) {
	for _, seed := range []struct {
		addr  string
		allow string
	}{
		{"93.184.215.14", ""}, {"192.0.0.170", ""}, {"198.19.255.255", ""}, {"2002:7f00:1::1", ""},
		{"64:ff9b:1::a9fe:a9fe", ""}, {"64:ff9b::7f00:1", "127.0.0.0/8"}, {"::ffff:10.0.0.1", "10.0.0.0/8"},
		{"2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001::/32"}, {"fe80::1", "fe80::/64"},
	} {
		f.Add(netip.MustParseAddr(seed.addr).AsSlice(), seed.allow)
	}
	f.Fuzz(func(t *testing.T, raw []byte, allowFlag string) {
		a, ok := netip.AddrFromSlice(raw)
		if !ok {
			return
		}
		allow, err := ParseCIDRs(strings.Split(allowFlag, ","))
		if err != nil {
			return
		}
		p := Policy{AllowCIDRs: allow}
		reason := p.blocked(a)

		u := a.Unmap()
		if reason == "" && !allowedBy(allow, a, u) {
			if oracleBlocks(u) {
				t.Errorf("%s is allowed but in a blocked range", a)
			}
			if nat64.Contains(u) {
				b := u.As16()
				v4 := netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
				if oracleBlocks(v4) && !allowedBy(allow, v4) {
					t.Errorf("%s is allowed but embeds %s, in a blocked range", a, v4)
				}
			}
		}
		dialErr := p.control("tcp", netip.AddrPortFrom(a, 443).String(), nil)
		urlErr := p.ValidateURL((&url.URL{Scheme: "https", Host: netip.AddrPortFrom(a, 443).String(), Path: "/x"}).String())
		if (reason == "") != (dialErr == nil) || (reason == "") != (urlErr == nil) {
			t.Errorf("%s: policy says %q, dial check %v, URL check %v", a, reason, dialErr, urlErr)
		}
	})
}
