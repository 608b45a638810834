package provider

import (
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"
)

// CheckURL parses the URL of a CA endpoint or proxy and refuses what could
// steer a credential somewhere the issuer's author did not name plainly:
//   - a scheme other than https, except plain http to an IP-literal
//     loopback address (127.0.0.0/8 or ::1), which can only be a local fake;
//     a name such as 127.attacker.example is not an IP literal;
//   - a query or a fragment, which would let the URL rewrite the path of
//     every call made under it;
//   - user info, which would put a credential in the spec.
//
// The CRDs hold the same rules in CEL; this is the check for objects that
// were stored before them or that reach the controller another way.
func CheckURL(field, raw string) (*url.URL, error) {
	if strings.ContainsAny(raw, "?#@") {
		return nil, fmt.Errorf("%s %q: a CA URL may carry no query (?), fragment (#) or user info (@)", field, raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s is not a URL: %w", field, err)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%s %q has no host", field, raw)
	}
	switch {
	case u.Scheme == "https":
		return u, nil
	case u.Scheme == "http" && IsLoopbackIP(u.Hostname()):
		return u, nil
	}
	return nil, fmt.Errorf("%s %q must use https (plain http is allowed only to the IP literals 127.0.0.0/8 and ::1)", field, raw)
}

// IsLoopbackIP tells whether host is an IP literal of the loopback range.
// Host names never are, whatever they resolve to.
func IsLoopbackIP(host string) bool {
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Zone() == "" && !ip.Is4In6() && ip.IsLoopback()
}

// CheckHost refuses a URL whose host is not in allowed. Plain-http loopback
// URLs (local fakes, already limited by CheckURL) are always allowed.
// Host names compare case-insensitively and without a port.
func CheckHost(field string, u *url.URL, allowed []string) error {
	host := strings.ToLower(u.Hostname())
	if u.Scheme == "http" && IsLoopbackIP(host) {
		return nil
	}
	if slices.Contains(allowed, host) {
		return nil
	}
	return fmt.Errorf("%s host %q is not allowed for a namespaced issuer (allowed: %s); a cluster operator may allow it with --namespaced-issuer-allowed-hosts, or use a cluster issuer",
		field, host, strings.Join(allowed, ", "))
}
