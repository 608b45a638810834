package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestDemoOnce runs the demo as `make demo` does, with -once, and checks
// that it printed an issued certificate from each issuer.
func TestDemoOnce(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"-once", "-dir", t.TempDir()}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{
		"Certificate default/www-example-com from DigiCertIssuer digicert",
		"subject:   CN=www.example.com",
		"SANs:      www.example.com, example.com",
		"issuer:    CN=DigiCert Fake TLS Issuing CA",
		"publishes its DNS validation tokens hands-free",
		"DNS:       2 TXT records published hands-free, 2 removed after issuance",
		"DigiCert orders=1 reissues=0 duplicates=0",
		"Certificate default/shop-example-com from OpenproviderClusterIssuer openprovider-ov",
		"subject:   CN=shop.example.com",
		"issuer:    CN=Openprovider Fake TLS Issuing CA",
		"Openprovider orders=1 reissues=0 renewals=0",
		"kubectl --kubeconfig ",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the demo did not print %q:\n%s", want, out.String())
		}
	}
}
