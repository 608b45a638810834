package e2e

import (
	"testing"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/dnstest"
	"github.com/certorder/certorder/internal/localcluster"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
)

// dcvZone is example.com on loopback, taking TSIG-signed RFC 2136 updates:
// the zone certorder publishes validation records in.
var dcvZone *dnstest.Server

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
		s.DCV = localcluster.HandsFreeDCV(dcvZone, "tsig")
	})
	createSecret(t, stack.Client, iss.ns, "tsig", map[string]string{"secret": localcluster.DNSZoneTSIGSecret})
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
