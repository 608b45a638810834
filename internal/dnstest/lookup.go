package dnstest

import (
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// HasTXT asks the DNS server at addr (host:port) whether name holds the TXT
// value, as a CA's validation does. Fakes of CAs use it to validate against
// a Server; any failure reads as "not found".
func HasTXT(addr, name, value string) bool {
	if addr == "" {
		return false
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), dns.TypeTXT)
	resp, _, err := (&dns.Client{Timeout: 5 * time.Second}).Exchange(m, addr)
	if err != nil || resp.Rcode != dns.RcodeSuccess {
		return false
	}
	return slices.ContainsFunc(resp.Answer, func(rr dns.RR) bool {
		txt, ok := rr.(*dns.TXT)
		return ok && strings.Join(txt.Txt, "") == value
	})
}
