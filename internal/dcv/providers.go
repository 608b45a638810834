package dcv

import (
	"context"
	"errors"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"
	"github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/acmedns"
	"github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/akamai"
	"github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/azuredns"
	"github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/clouddns"
	"github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/cloudflare"
	"github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/digitalocean"
	"github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/route53"
)

// builders maps each provider of the dns01 block onto cert-manager's
// constructor for it, reading credentials the way cert-manager's ACME
// issuer does.
var builders = []builder{
	{"rfc2136", func(c *cmacme.ACMEChallengeSolverDNS01) bool { return c.RFC2136 != nil }, buildRFC2136},
	{"route53", func(c *cmacme.ACMEChallengeSolverDNS01) bool { return c.Route53 != nil }, buildRoute53},
	{"cloudDNS", func(c *cmacme.ACMEChallengeSolverDNS01) bool { return c.CloudDNS != nil }, buildCloudDNS},
	{"cloudflare", func(c *cmacme.ACMEChallengeSolverDNS01) bool { return c.Cloudflare != nil }, buildCloudflare},
	{"azureDNS", func(c *cmacme.ACMEChallengeSolverDNS01) bool { return c.AzureDNS != nil }, buildAzureDNS},
	{"acmeDNS", func(c *cmacme.ACMEChallengeSolverDNS01) bool { return c.AcmeDNS != nil }, buildAcmeDNS},
	{"akamai", func(c *cmacme.ACMEChallengeSolverDNS01) bool { return c.Akamai != nil }, buildAkamai},
	{"digitalocean", func(c *cmacme.ACMEChallengeSolverDNS01) bool { return c.DigitalOcean != nil }, buildDigitalOcean},
}

func buildRoute53(ctx context.Context, c *cmacme.ACMEChallengeSolverDNS01, o BuildOptions) (Solver, error) {
	r := c.Route53
	if r.Auth != nil && r.Auth.Kubernetes != nil {
		return nil, errors.Join(errUnsupported, errors.New("auth.kubernetes (service account tokens) is not supported; use a Secret or ambient credentials"))
	}
	if r.AccessKeyID != "" && r.SecretAccessKeyID != nil {
		return nil, errors.New("accessKeyID and accessKeyIDSecretRef cannot both be set")
	}
	v, err := secrets(ctx, o, r.SecretAccessKeyID, &r.SecretAccessKey)
	if err != nil {
		return nil, err
	}
	keyID := r.AccessKeyID
	if r.SecretAccessKeyID != nil {
		keyID = v[0]
	}
	return route53.NewDNSProvider(ctx, keyID, v[1], r.HostedZoneID, r.Region, r.Role, "", o.Ambient, o.Nameservers, o.UserAgent)
}

func buildCloudDNS(ctx context.Context, c *cmacme.ACMEChallengeSolverDNS01, o BuildOptions) (Solver, error) {
	key, err := secret(ctx, o, c.CloudDNS.ServiceAccount)
	if err != nil {
		return nil, err
	}
	return clouddns.NewDNSProvider(ctx, c.CloudDNS.Project, []byte(key), o.Nameservers, o.Ambient, c.CloudDNS.HostedZoneName)
}

func buildCloudflare(ctx context.Context, c *cmacme.ACMEChallengeSolverDNS01, o BuildOptions) (Solver, error) {
	cf := c.Cloudflare
	if (cf.APIKey == nil) == (cf.APIToken == nil) {
		return nil, errors.New("set exactly one of apiKeySecretRef and apiTokenSecretRef")
	}
	v, err := secrets(ctx, o, cf.APIKey, cf.APIToken)
	if err != nil {
		return nil, err
	}
	return cloudflare.NewDNSProviderCredentials(cf.Email, v[0], v[1], o.Nameservers, o.UserAgent)
}

func buildAzureDNS(ctx context.Context, c *cmacme.ACMEChallengeSolverDNS01, o BuildOptions) (Solver, error) {
	a := c.AzureDNS
	var clientSecret string
	if a.ClientID != "" {
		var err error
		if clientSecret, err = secret(ctx, o, a.ClientSecret); err != nil {
			return nil, err
		}
	}
	return azuredns.NewDNSProviderCredentials(string(a.Environment), a.ClientID, clientSecret, a.SubscriptionID,
		a.TenantID, a.ResourceGroupName, a.HostedZoneName, o.Nameservers, o.Ambient, a.ManagedIdentity,
		azuredns.WithAzureZone(a.ZoneType))
}

func buildAcmeDNS(ctx context.Context, c *cmacme.ACMEChallengeSolverDNS01, o BuildOptions) (Solver, error) {
	account, err := secret(ctx, o, &c.AcmeDNS.AccountSecret)
	if err != nil {
		return nil, err
	}
	return acmedns.NewDNSProviderHostBytes(c.AcmeDNS.Host, []byte(account), o.Nameservers)
}

func buildAkamai(ctx context.Context, c *cmacme.ACMEChallengeSolverDNS01, o BuildOptions) (Solver, error) {
	a := c.Akamai
	v, err := secrets(ctx, o, &a.ClientToken, &a.ClientSecret, &a.AccessToken)
	if err != nil {
		return nil, err
	}
	return akamai.NewDNSProvider(a.ServiceConsumerDomain, v[0], v[1], v[2], o.Nameservers)
}

func buildDigitalOcean(ctx context.Context, c *cmacme.ACMEChallengeSolverDNS01, o BuildOptions) (Solver, error) {
	token, err := secret(ctx, o, &c.DigitalOcean.Token)
	if err != nil {
		return nil, err
	}
	return digitalocean.NewDNSProviderCredentials(token, o.Nameservers, o.UserAgent)
}
