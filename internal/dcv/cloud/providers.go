package cloud

import (
	"context"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"
	"github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/acmedns"
	"github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/akamai"
	"github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/azuredns"
	"github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/clouddns"
	"github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/cloudflare"
	"github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/digitalocean"
	"github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/route53"
)

// builders maps each provider name onto cert-manager's constructor for
// it, reading credentials the way cert-manager's ACME issuer does. The
// controller has checked the block (internal/dcv) before it runs the
// helper.
var builders = map[string]builder{
	"route53":      buildRoute53,
	"cloudDNS":     buildCloudDNS,
	"cloudflare":   buildCloudflare,
	"azureDNS":     buildAzureDNS,
	"acmeDNS":      buildAcmeDNS,
	"akamai":       buildAkamai,
	"digitalocean": buildDigitalOcean,
}

// Names are the providers Build serves.
func Names() []string {
	out := make([]string, 0, len(builders))
	for name := range builders {
		out = append(out, name)
	}
	return out
}

func buildRoute53(ctx context.Context, c *cmacme.ACMEChallengeSolverDNS01, o request) (dnsProvider, error) {
	r := c.Route53
	v, err := o.secrets(r.SecretAccessKeyID, &r.SecretAccessKey)
	if err != nil {
		return nil, err
	}
	keyID := r.AccessKeyID
	if r.SecretAccessKeyID != nil {
		keyID = v[0]
	}
	return route53.NewDNSProvider(ctx, keyID, v[1], r.HostedZoneID, r.Region, r.Role, "", o.Ambient, o.Nameservers, o.UserAgent)
}

func buildCloudDNS(ctx context.Context, c *cmacme.ACMEChallengeSolverDNS01, o request) (dnsProvider, error) {
	key, err := o.secret(c.CloudDNS.ServiceAccount)
	if err != nil {
		return nil, err
	}
	return clouddns.NewDNSProvider(ctx, c.CloudDNS.Project, []byte(key), o.Nameservers, o.Ambient, c.CloudDNS.HostedZoneName)
}

func buildCloudflare(_ context.Context, c *cmacme.ACMEChallengeSolverDNS01, o request) (dnsProvider, error) {
	cf := c.Cloudflare
	v, err := o.secrets(cf.APIKey, cf.APIToken)
	if err != nil {
		return nil, err
	}
	return cloudflare.NewDNSProviderCredentials(cf.Email, v[0], v[1], o.Nameservers, o.UserAgent)
}

func buildAzureDNS(_ context.Context, c *cmacme.ACMEChallengeSolverDNS01, o request) (dnsProvider, error) {
	a := c.AzureDNS
	var clientSecret string
	if a.ClientID != "" {
		var err error
		if clientSecret, err = o.secret(a.ClientSecret); err != nil {
			return nil, err
		}
	}
	return azuredns.NewDNSProviderCredentials(string(a.Environment), a.ClientID, clientSecret, a.SubscriptionID,
		a.TenantID, a.ResourceGroupName, a.HostedZoneName, o.Nameservers, o.Ambient, a.ManagedIdentity,
		azuredns.WithAzureZone(a.ZoneType))
}

func buildAcmeDNS(_ context.Context, c *cmacme.ACMEChallengeSolverDNS01, o request) (dnsProvider, error) {
	account, err := o.secret(&c.AcmeDNS.AccountSecret)
	if err != nil {
		return nil, err
	}
	return acmedns.NewDNSProviderHostBytes(c.AcmeDNS.Host, []byte(account), o.Nameservers)
}

func buildAkamai(_ context.Context, c *cmacme.ACMEChallengeSolverDNS01, o request) (dnsProvider, error) {
	a := c.Akamai
	v, err := o.secrets(&a.ClientToken, &a.ClientSecret, &a.AccessToken)
	if err != nil {
		return nil, err
	}
	return akamai.NewDNSProvider(a.ServiceConsumerDomain, v[0], v[1], v[2], o.Nameservers)
}

func buildDigitalOcean(_ context.Context, c *cmacme.ACMEChallengeSolverDNS01, o request) (dnsProvider, error) {
	token, err := o.secret(&c.DigitalOcean.Token)
	if err != nil {
		return nil, err
	}
	return digitalocean.NewDNSProviderCredentials(token, o.Nameservers, o.UserAgent)
}
