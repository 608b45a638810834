package dcv

import (
	"context"
	"errors"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
)

// NewRunner builds the Runner of an issuer's dcv block for one CA: its
// DNS01 provider, its selector, and propagation checks through
// opts.Nameservers. The request path calls it each reconcile (it holds no
// state), when the issuer has a dcv.dns01 block and its provider is a
// provider.DNSValidator.
func NewRunner(ctx context.Context, ca string, cfg *v1alpha1.DCV, v provider.DNSValidator, opts BuildOptions) (*Runner, error) {
	if cfg == nil || cfg.DNS01 == nil {
		return nil, errors.New("the issuer has no dcv.dns01 block")
	}
	solver, err := Build(ctx, cfg.DNS01, opts)
	if err != nil {
		return nil, err
	}
	return &Runner{
		CA: ca, Validator: v, Solver: solver, Selector: cfg.Selector,
		Propagation: Propagation{Nameservers: opts.Nameservers},
	}, nil
}
