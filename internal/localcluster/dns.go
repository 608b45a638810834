package localcluster

import (
	"context"
	"time"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
	"github.com/certorder/certorder/internal/dnstest"
)

// The TSIG key of the DNS zone StartDNSZone serves; DNSZoneTSIGSecret is
// what the Secret named by HandsFreeDCV must hold under key "secret".
const (
	DNSZoneTSIGKey    = "certorder-dcv."
	DNSZoneTSIGSecret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ=="
)

// StartDNSZone serves the zone on loopback, taking RFC 2136 updates signed
// with DNSZoneTSIGKey: where hands-free DNS validation publishes its
// records, and where a fake DigiCert given SetDNSServer(zone.Addr) looks
// for them. The caller closes it.
func StartDNSZone(zone string) (*dnstest.Server, error) {
	return dnstest.Start(dnstest.Options{Zone: zone, TSIGKeyName: DNSZoneTSIGKey, TSIGSecret: DNSZoneTSIGSecret})
}

// DCVOptions make certorder find zone, and its one nameserver, on
// loopback, and check at the CA at most once a second.
func DCVOptions(zone *dnstest.Server) controllers.DCVOptions {
	return controllers.DCVOptions{
		Nameservers:       []string{zone.Addr},
		ResolveNameserver: func(context.Context, string) ([]string, error) { return []string{zone.Addr}, nil },
		CheckInterval:     time.Second,
	}
}

// HandsFreeDCV is an issuer's dcv block that publishes in zone through
// cert-manager's rfc2136 provider, its TSIG secret in Secret tsigSecret.
func HandsFreeDCV(zone *dnstest.Server, tsigSecret string) *v1alpha1.DCV {
	return &v1alpha1.DCV{DNS01: &cmacme.ACMEChallengeSolverDNS01{RFC2136: &cmacme.ACMEIssuerDNS01ProviderRFC2136{
		Nameserver: zone.Addr, TSIGKeyName: DNSZoneTSIGKey, TSIGAlgorithm: "HMACSHA256",
		TSIGSecret: cmmeta.SecretKeySelector{LocalObjectReference: cmmeta.LocalObjectReference{Name: tsigSecret}, Key: "secret"},
	}}}
}
