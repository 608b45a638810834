package dcv

import (
	"errors"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"
)

// builders are the providers of the dns01 block. rfc2136 runs in-process;
// the cloud providers run in the certorder-dns01 helper, after the checks
// that let Build refuse a block at once.
var builders = []builder{
	{name: "rfc2136", set: func(c *cmacme.ACMEChallengeSolverDNS01) bool { return c.RFC2136 != nil }, inProcess: buildRFC2136},
	{name: "route53", set: func(c *cmacme.ACMEChallengeSolverDNS01) bool { return c.Route53 != nil }, check: checkRoute53},
	{name: "cloudDNS", set: func(c *cmacme.ACMEChallengeSolverDNS01) bool { return c.CloudDNS != nil }},
	{name: "cloudflare", set: func(c *cmacme.ACMEChallengeSolverDNS01) bool { return c.Cloudflare != nil }, check: checkCloudflare},
	{name: "azureDNS", set: func(c *cmacme.ACMEChallengeSolverDNS01) bool { return c.AzureDNS != nil }},
	{name: "acmeDNS", set: func(c *cmacme.ACMEChallengeSolverDNS01) bool { return c.AcmeDNS != nil }},
	{name: "akamai", set: func(c *cmacme.ACMEChallengeSolverDNS01) bool { return c.Akamai != nil }},
	{name: "digitalocean", set: func(c *cmacme.ACMEChallengeSolverDNS01) bool { return c.DigitalOcean != nil }},
}

func checkRoute53(c *cmacme.ACMEChallengeSolverDNS01) error {
	r := c.Route53
	if r.Auth != nil && r.Auth.Kubernetes != nil {
		return errors.Join(errUnsupported, errors.New("auth.kubernetes (service account tokens) is not supported; use a Secret or ambient credentials"))
	}
	if r.AccessKeyID != "" && r.SecretAccessKeyID != nil {
		return errors.New("accessKeyID and accessKeyIDSecretRef cannot both be set")
	}
	return nil
}

func checkCloudflare(c *cmacme.ACMEChallengeSolverDNS01) error {
	if cf := c.Cloudflare; (cf.APIKey == nil) == (cf.APIToken == nil) {
		return errors.New("set exactly one of apiKeySecretRef and apiTokenSecretRef")
	}
	return nil
}

// HelperProviders are the providers that run in certorder-dns01.
func HelperProviders() []string {
	var out []string
	for _, b := range builders {
		if b.inProcess == nil {
			out = append(out, b.name)
		}
	}
	return out
}
