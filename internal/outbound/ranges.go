package outbound

import "net/netip"

// blockedRanges are the special-purpose ranges of the IANA IPv4 and IPv6
// registries that no webhook or measurement source legitimately lives in,
// each with the reason an error names. The first match wins, so a narrower
// range comes before a wider one. An --allow-cidr lifts any of them.
//
// Addresses that embed an IPv4 address: IPv4-mapped (::ffff:0:0/96) is
// judged as the IPv4 address it is, and NAT64 (64:ff9b::/96, the
// well-known prefix an IPv6-only cluster uses to reach IPv4 services) by
// the IPv4 address it embeds. The other embeddings are refused whole:
// 6to4 (2002::/16, deprecated by RFC 7526) and Teredo (2001::/32) reach
// whatever IPv4 address a relay decodes, local-use NAT64 (64:ff9b:1::/48)
// embeds at a position only its operator knows, and IPv4-compatible
// (::/96) and IPv4-translated (::ffff:0:0:0/96) addresses are deprecated.
// Reasons shared by several ranges.
const (
	reasonPrivate       = "private"
	reasonDocumentation = "documentation"
)

var blockedRanges = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},
	{netip.MustParsePrefix("10.0.0.0/8"), reasonPrivate},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local"},
	{netip.MustParsePrefix("172.16.0.0/12"), reasonPrivate},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"},
	{netip.MustParsePrefix("192.0.2.0/24"), reasonDocumentation},
	{netip.MustParsePrefix("192.88.99.0/24"), "6to4 relay"},
	{netip.MustParsePrefix("192.168.0.0/16"), reasonPrivate},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), reasonDocumentation},
	{netip.MustParsePrefix("203.0.113.0/24"), reasonDocumentation},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("255.255.255.255/32"), "broadcast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},

	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("::/96"), "IPv4-compatible"},
	{netip.MustParsePrefix("::ffff:0:0:0/96"), "IPv4-translated"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local-use NAT64"},
	{netip.MustParsePrefix("100::/64"), "discard-only"},
	{netip.MustParsePrefix("2001::/32"), "Teredo"},
	{netip.MustParsePrefix("2001:2::/48"), "benchmarking"},
	{netip.MustParsePrefix("2001:10::/28"), "ORCHID"},
	{netip.MustParsePrefix("2001:20::/28"), "ORCHID"},
	{netip.MustParsePrefix("2001:db8::/32"), reasonDocumentation},
	{netip.MustParsePrefix("2002::/16"), "6to4"},
	{netip.MustParsePrefix("3fff::/20"), reasonDocumentation},
	{netip.MustParsePrefix("5f00::/16"), "segment routing"},
	{netip.MustParsePrefix("fc00::/7"), reasonPrivate},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}

// nat64 is the well-known NAT64 prefix (RFC 6052): its last 32 bits are
// the IPv4 destination.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// blocked returns why a destination is refused, or "" if it may be reached.
func (p Policy) blocked(a netip.Addr) string {
	a = a.WithZone("")
	u := a.Unmap()
	for _, allowed := range p.AllowCIDRs {
		if allowed.Contains(a) || allowed.Contains(u) {
			return ""
		}
	}
	if reason := blockedRange(u); reason != "" {
		return reason
	}
	if nat64.Contains(u) {
		b := u.As16()
		if reason := p.blocked(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})); reason != "" {
			return "NAT64 of " + reason
		}
	}
	return ""
}

// blockedRange returns the reason of the first blocked range holding a.
func blockedRange(a netip.Addr) string {
	if !a.IsValid() {
		return "invalid"
	}
	for _, r := range blockedRanges {
		if r.prefix.Contains(a) {
			return r.reason
		}
	}
	return ""
}
