package cloud

import (
	"context"
	"errors"
	"fmt"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"

	"github.com/certorder/certorder/internal/dcv/helperapi"
)

// Run publishes or removes req's record, as req.Action says, through the
// provider req.Provider of req.DNS01.
func Run(ctx context.Context, req helperapi.Request) error {
	p, err := build(ctx, req)
	if err != nil {
		return err
	}
	switch req.Action {
	case helperapi.ActionPresent:
		return p.Present(ctx, req.Domain, req.FQDN, req.Value)
	case helperapi.ActionCleanup:
		return p.CleanUp(ctx, req.Domain, req.FQDN, req.Value)
	}
	return fmt.Errorf("unknown action %q", req.Action)
}

// dnsProvider is what cert-manager's DNS01 providers do.
type dnsProvider interface {
	Present(ctx context.Context, domain, fqdn, value string) error
	CleanUp(ctx context.Context, domain, fqdn, value string) error
}

// build returns the provider req.Provider of req.DNS01.
func build(ctx context.Context, req helperapi.Request) (dnsProvider, error) {
	if req.DNS01 == nil {
		return nil, errors.New("the request has no dns01 block")
	}
	b, ok := builders[req.Provider]
	if !ok {
		return nil, fmt.Errorf("%q is not a provider of certorder-dns01", req.Provider)
	}
	return b(ctx, req.DNS01, request{req})
}

// request gives the builders the resolved Secret values.
type request struct{ helperapi.Request }

// secret is ref's value; a reference without a name reads as empty.
func (r request) secret(ref *cmmeta.SecretKeySelector) (string, error) {
	if ref == nil || ref.Name == "" {
		return "", nil
	}
	v, ok := r.Secrets[helperapi.SecretKey(ref.Name, ref.Key)]
	if !ok {
		return "", fmt.Errorf("the request carries no value for Secret %s key %s", ref.Name, ref.Key)
	}
	return v, nil
}

// secrets reads several references in order.
func (r request) secrets(refs ...*cmmeta.SecretKeySelector) ([]string, error) {
	out := make([]string, len(refs))
	for i, ref := range refs {
		v, err := r.secret(ref)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// builder builds one provider from its block.
type builder func(context.Context, *cmacme.ACMEChallengeSolverDNS01, request) (dnsProvider, error)
