package dcv

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/util"
	"github.com/miekg/dns"
)

// Propagation checks a TXT record on every authoritative nameserver of its
// zone, with cert-manager's DNS helpers, and says on how many it is.
type Propagation struct {
	// Nameservers are the resolvers (host:port) that find the zone and its
	// NS records; empty means cert-manager's default (the system's
	// resolv.conf).
	Nameservers []string
	// Resolve turns an NS host name into addresses (host:port) to query;
	// nil resolves it with the system resolver on port 53.
	Resolve func(ctx context.Context, host string) ([]string, error)
}

// Seen is how many of a zone's authoritative nameservers serve a record.
type Seen struct {
	Found, Total int
}

// Complete is true when every nameserver serves the record.
func (s Seen) Complete() bool { return s.Total > 0 && s.Found == s.Total }

func (s Seen) String() string { return fmt.Sprintf("%d of %d nameservers", s.Found, s.Total) }

// Check asks each authoritative nameserver of fqdn's zone, without
// recursion, whether it serves the TXT value at fqdn. A nameserver that
// cannot be reached counts as not serving it.
func (p Propagation) Check(ctx context.Context, fqdn, value string) (Seen, error) {
	fqdn = dns.Fqdn(fqdn)
	ns := p.Nameservers
	if len(ns) == 0 {
		ns = util.RecursiveNameservers
	}
	zone, err := util.FindZoneByFqdn(ctx, fqdn, ns)
	if err != nil {
		return Seen{}, fmt.Errorf("finding the zone of %s: %w", fqdn, err)
	}
	resp, err := util.DNSQuery(ctx, zone, dns.TypeNS, ns, true)
	if err != nil {
		return Seen{}, fmt.Errorf("listing the nameservers of %s: %w", zone, err)
	}
	var hosts []string
	for _, rr := range resp.Answer {
		if n, ok := rr.(*dns.NS); ok {
			hosts = append(hosts, strings.ToLower(n.Ns))
		}
	}
	if len(hosts) == 0 {
		return Seen{}, fmt.Errorf("zone %s lists no nameservers", zone)
	}
	seen := Seen{Total: len(hosts)}
	for _, host := range hosts {
		if p.serves(ctx, host, fqdn, value) {
			seen.Found++
		}
	}
	return seen, nil
}

// serves asks one nameserver for the record.
func (p Propagation) serves(ctx context.Context, host, fqdn, value string) bool {
	addrs, err := p.resolve(ctx, host)
	if err != nil || len(addrs) == 0 {
		return false
	}
	resp, err := util.DNSQuery(ctx, fqdn, dns.TypeTXT, addrs, false)
	if err != nil || resp.Rcode != dns.RcodeSuccess {
		return false
	}
	return slices.ContainsFunc(resp.Answer, func(rr dns.RR) bool {
		txt, ok := rr.(*dns.TXT)
		return ok && strings.Join(txt.Txt, "") == value
	})
}

func (p Propagation) resolve(ctx context.Context, host string) ([]string, error) {
	if p.Resolve != nil {
		return p.Resolve(ctx, host)
	}
	ips, err := net.DefaultResolver.LookupHost(ctx, strings.TrimSuffix(host, "."))
	if err != nil {
		return nil, err
	}
	addrs := make([]string, len(ips))
	for i, ip := range ips {
		addrs[i] = net.JoinHostPort(ip, "53")
	}
	return addrs, nil
}
