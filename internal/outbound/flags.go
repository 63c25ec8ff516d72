package outbound

import (
	"net/url"
	"strings"
)

// FlagList is a repeatable command-line flag for the policy's exceptions
// (--allow-http-host, --allow-cidr); commas also separate values.
type FlagList []string

// String joins the values with commas.
func (l *FlagList) String() string { return strings.Join(*l, ",") }

// Set adds the comma-separated values of one occurrence of the flag.
func (l *FlagList) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

// Host is the host of an address; "" when it does not parse (the policy
// refuses it then).
func Host(address string) string {
	u, err := url.Parse(strings.TrimSpace(address))
	if err != nil {
		return ""
	}
	return u.Hostname()
}
