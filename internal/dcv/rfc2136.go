package dcv

import (
	"context"
	"fmt"
	"strings"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"
	"github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/rfc2136"
	"github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/util"
)

// rfc2136Solver adapts cert-manager's RFC 2136 provider, which takes the
// zone instead of a context, to Solver. The zone is looked up on the
// provider's own nameserver: it must be authoritative to take updates.
type rfc2136Solver struct {
	p *rfc2136.DNSProvider
}

func buildRFC2136(ctx context.Context, c *cmacme.ACMEChallengeSolverDNS01, o BuildOptions) (Solver, error) {
	r := c.RFC2136
	tsig, err := secret(ctx, o, &r.TSIGSecret)
	if err != nil {
		return nil, err
	}
	p, err := rfc2136.NewDNSProviderCredentials(r.Nameserver, r.TSIGAlgorithm, r.TSIGKeyName, tsig,
		rfc2136.WithNetwork(string(r.Protocol)))
	if err != nil {
		return nil, err
	}
	return rfc2136Solver{p: p}, nil
}

func (s rfc2136Solver) Present(ctx context.Context, domain, fqdn, value string) error {
	return s.change(ctx, s.p.Present, domain, fqdn, value)
}

func (s rfc2136Solver) CleanUp(ctx context.Context, domain, fqdn, value string) error {
	return s.change(ctx, s.p.CleanUp, domain, fqdn, value)
}

func (s rfc2136Solver) change(ctx context.Context, op func(domain, fqdn, zone, value string) error, domain, fqdn, value string) error {
	zone, err := util.FindZoneByFqdn(ctx, fqdn, []string{s.p.Nameserver()})
	if err != nil {
		return fmt.Errorf("finding the zone of %s on %s: %w", fqdn, s.p.Nameserver(), err)
	}
	if err := op(domain, fqdn, zone, value); err != nil {
		if strings.Contains(err.Error(), "NOTAUTH") {
			return fmt.Errorf("%s refused the update of zone %s; check tsigKeyName, tsigAlgorithm and the TSIG secret: %w", s.p.Nameserver(), zone, err)
		}
		return err
	}
	return nil
}
