package e2e

import (
	"context"
	"testing"
	"time"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
	"github.com/certorder/certorder/internal/dnstest"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
)

const (
	dcvTSIGKey    = "certorder-dcv."
	dcvTSIGSecret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ=="
)

// dcvZone is example.com on loopback, taking TSIG-signed RFC 2136 updates:
// the zone certorder publishes validation records in.
var dcvZone *dnstest.Server

func startDCVZone() (*dnstest.Server, error) {
	return dnstest.Start(dnstest.Options{Zone: "example.com", TSIGKeyName: dcvTSIGKey, TSIGSecret: dcvTSIGSecret})
}

// dcvOptions make certorder find the zone, and its one nameserver, on
// loopback, and check at DigiCert at most once a second.
func dcvOptions(zone *dnstest.Server) controllers.DCVOptions {
	return controllers.DCVOptions{
		Nameservers:       []string{zone.Addr},
		ResolveNameserver: func(context.Context, string) ([]string, error) { return []string{zone.Addr}, nil },
		CheckInterval:     time.Second,
	}
}

// TestDigiCertHandsFreeDNSValidation: a DV Certificate is validated and
// issued with no person involved. The fake DigiCert keeps the order pending
// until check-dcv finds the order's random value at _dnsauth.<name> in the
// zone, so the wrong name, the wrong value or a check before the record is
// served all fail this test; the records are gone once it is issued.
func TestDigiCertHandsFreeDNSValidation(t *testing.T) {
	t.Parallel()
	fake := newDigiCert(t)
	fake.SetBehavior(dcfake.Behavior{Shape: dcfake.CertificateID})
	fake.SetDNSServer(dcvZone.Addr)
	iss := digiCertIssuer(t, stack.Client, fake, func(s *v1alpha1.DigiCertIssuerSpec) {
		s.ProductNameID, s.DCVMethod, s.SkipApproval = "ssl_dv_geotrust", "dns-txt-token", true
		s.DCV = &v1alpha1.DCV{DNS01: &cmacme.ACMEChallengeSolverDNS01{RFC2136: &cmacme.ACMEIssuerDNS01ProviderRFC2136{
			Nameserver: dcvZone.Addr, TSIGKeyName: dcvTSIGKey, TSIGAlgorithm: "HMACSHA256",
			TSIGSecret: cmmeta.SecretKeySelector{LocalObjectReference: cmmeta.LocalObjectReference{Name: "tsig"}, Key: "secret"},
		}}}
	})
	createSecret(t, stack.Client, iss.ns, "tsig", map[string]string{"secret": dcvTSIGSecret})
	iss.issue(t, stack.Client, "hands-free", "hands-free.example.com", "www.hands-free.example.com")
	wantCounts(t, fake.Counts(), dcfake.Counts{Orders: 1})
	if got := fake.Calls()["PUT /order/certificate/{order_id}/check-dcv"]; got < 1 {
		t.Errorf("check-dcv called %d times; the order cannot have been validated", got)
	}
	for _, name := range []string{"_dnsauth.hands-free.example.com", "_dnsauth.www.hands-free.example.com"} {
		if got := dcvZone.TXT(name); len(got) != 0 {
			t.Errorf("%s still holds %v after issuance", name, got)
		}
	}
}
