package dcv

import (
	"context"
	"errors"
	"fmt"
	"strings"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"

	"github.com/certorder/certorder/internal/provider"
)

// Solver publishes and removes one TXT record, as cert-manager's DNS01
// providers do. domain is the name validated, fqdn the record's name and
// value its text.
type Solver interface {
	Present(ctx context.Context, domain, fqdn, value string) error
	CleanUp(ctx context.Context, domain, fqdn, value string) error
}

// BuildOptions are what a DNS01 provider needs beyond its own block.
type BuildOptions struct {
	// Secrets reads the provider's credentials, scoped to the issuer's
	// namespace or the cluster resource namespace.
	Secrets provider.SecretReader
	// Ambient allows credentials from the environment (instance roles,
	// workload identity) when the block names none. cert-manager allows
	// them for cluster issuers only; the caller decides the same way.
	Ambient bool
	// Nameservers are recursive resolvers (host:port) the providers use to
	// find zones; empty means the system's.
	Nameservers []string
	// UserAgent is sent to DNS provider APIs.
	UserAgent string
	// Helper is the path of the certorder-dns01 helper that runs the cloud
	// providers; empty means DefaultHelper().
	Helper string
}

// errUnsupported marks a dns01 block certorder cannot serve.
var errUnsupported = errors.New("unsupported dns01 configuration")

// Build returns the provider that cfg configures.
func Build(ctx context.Context, cfg *cmacme.ACMEChallengeSolverDNS01, opts BuildOptions) (Solver, error) {
	if cfg == nil {
		return nil, fmt.Errorf("%w: no dns01 block", errUnsupported)
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "certorder"
	}
	for _, b := range builders {
		if b.set(cfg) {
			s, err := b.build(ctx, cfg, opts)
			if err != nil {
				return nil, fmt.Errorf("dns01 %s: %w", b.name, err)
			}
			return s, nil
		}
	}
	if cfg.Webhook != nil {
		return nil, fmt.Errorf("%w: webhook solvers are not supported", errUnsupported)
	}
	return nil, fmt.Errorf("%w: the dns01 block names no provider", errUnsupported)
}

// builder is one DNS01 provider of the dns01 block.
type builder struct {
	name string
	set  func(*cmacme.ACMEChallengeSolverDNS01) bool
	// inProcess builds a provider that runs in the controller; nil runs
	// the provider in the certorder-dns01 helper.
	inProcess func(context.Context, *cmacme.ACMEChallengeSolverDNS01, BuildOptions) (Solver, error)
	// check refuses a block the provider cannot serve before any Secret
	// is read; nil accepts every block.
	check func(*cmacme.ACMEChallengeSolverDNS01) error
}

func (b builder) build(ctx context.Context, cfg *cmacme.ACMEChallengeSolverDNS01, opts BuildOptions) (Solver, error) {
	if b.inProcess != nil {
		return b.inProcess(ctx, cfg, opts)
	}
	if b.check != nil {
		if err := b.check(cfg); err != nil {
			return nil, err
		}
	}
	return newHelperSolver(ctx, b.name, cfg, opts)
}

// secret reads ref's key; a reference without a name reads as empty.
func secret(ctx context.Context, opts BuildOptions, ref *cmmeta.SecretKeySelector) (string, error) {
	if ref == nil || ref.Name == "" {
		return "", nil
	}
	if opts.Secrets == nil {
		return "", errors.New("no Secret reader configured")
	}
	b, err := opts.Secrets(ctx, ref.Name, ref.Key)
	if err != nil {
		return "", fmt.Errorf("reading Secret %s key %s: %w", ref.Name, ref.Key, err)
	}
	return strings.TrimSpace(string(b)), nil
}
