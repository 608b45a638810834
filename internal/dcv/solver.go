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
	name  string
	set   func(*cmacme.ACMEChallengeSolverDNS01) bool
	build func(context.Context, *cmacme.ACMEChallengeSolverDNS01, BuildOptions) (Solver, error)
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

// secrets reads several references in order.
func secrets(ctx context.Context, opts BuildOptions, refs ...*cmmeta.SecretKeySelector) ([]string, error) {
	out := make([]string, len(refs))
	for i, ref := range refs {
		v, err := secret(ctx, opts, ref)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}
