package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
	"github.com/certorder/certorder/internal/provider"
)

// officialHosts are the hosts of each CA's public API, the only ones a
// namespaced issuer may call by default:
//   - DigiCert CertCentral, US and Europe instances
//     (https://dev.digicert.com/certcentral-apis/services-api.html);
//   - Openprovider's REST API (https://docs.openprovider.com, servers of
//     its published OpenAPI files).
var officialHosts = map[v1alpha1.Provider][]string{
	v1alpha1.ProviderDigiCert:     {"www.digicert.com", "certcentral.digicert.eu"},
	v1alpha1.ProviderOpenprovider: {"api.openprovider.eu"},
}

// ParseAllowedHosts reads --namespaced-issuer-allowed-hosts: host names
// separated by commas, without scheme, port or path.
func ParseAllowedHosts(raw string) ([]string, error) {
	var hosts []string
	for _, h := range strings.Split(raw, ",") {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		if strings.ContainsAny(h, "/:@?#") {
			return nil, fmt.Errorf("allowed host %q: give a bare host name, without scheme, port or path", h)
		}
		hosts = append(hosts, h)
	}
	return hosts, nil
}

// guardEndpoints checks an issuer's url and proxyURL before its provider is
// built, so no credential is read for, or sent to, an endpoint it may not
// use. Every issuer gets the URL rules of provider.CheckURL. A namespaced
// issuer, which any tenant with edit rights may create, may in addition
// reach only its CA's official hosts and the hosts the cluster operator
// allowed; a cluster issuer is a cluster-admin's object and keeps its url
// free.
func guardEndpoints(allowed []string, build controllers.ProviderBuilder) controllers.ProviderBuilder {
	return func(ctx context.Context, issuer controllers.Issuer, secrets provider.SecretReader) (provider.Provider, error) {
		if err := checkEndpoints(issuer, allowed); err != nil {
			return nil, err
		}
		return build(ctx, issuer, secrets)
	}
}

func checkEndpoints(issuer controllers.Issuer, allowed []string) error {
	s := issuer.Settings()
	namespaced := issuer.GetNamespace() != ""
	// An empty url means the CA's official endpoint.
	if s.URL != "" {
		u, err := provider.CheckURL("url", s.URL)
		if err != nil {
			return err
		}
		if namespaced {
			if err := provider.CheckHost("url", u, slices.Concat(officialHosts[s.Provider], allowed)); err != nil {
				return err
			}
		}
	}
	// An empty proxyURL means the environment's proxy, the operator's
	// choice. A namespaced issuer may name only a proxy the operator allowed.
	if s.ProxyURL != "" {
		u, err := provider.CheckProxyURL(s.ProxyURL)
		if err != nil {
			return err
		}
		if namespaced {
			if err := provider.CheckHost("proxyURL", u, allowed); err != nil {
				return err
			}
		}
	}
	return nil
}
