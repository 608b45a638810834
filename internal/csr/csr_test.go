package csr

import (
	"encoding/pem"
	"fmt"
	"strings"
	"testing"

	tu "github.com/certorder/certorder/internal/testutil"
)

func TestParseCSR(t *testing.T) {
	manyNames := make([]string, 251)
	for i := range manyNames {
		manyNames[i] = fmt.Sprintf("h%d.example.com", i)
	}
	block, _ := pem.Decode(tu.CSRPEM(tu.WithCommonName("a.example.com")))
	block.Bytes[len(block.Bytes)-1] ^= 0xff
	tampered := pem.EncodeToMemory(block)

	for _, tc := range []struct {
		name      string
		pem       []byte
		isCA      bool
		wantCN    string
		wantNames []string
		wantErr   string
	}{
		{name: "common name only", pem: tu.CSRPEM(tu.WithCommonName("www.example.com")), wantCN: "www.example.com", wantNames: []string{"www.example.com"}},
		{name: "names only: first becomes the common name", pem: tu.CSRPEM(tu.WithDNSNames("a.example.com", "b.example.com")), wantCN: "a.example.com", wantNames: []string{"a.example.com", "b.example.com"}},
		{name: "common name joins the SANs, once, lower-cased", pem: tu.CSRPEM(tu.WithCommonName("WWW.Example.com"), tu.WithDNSNames("www.example.com", "api.example.com")), wantCN: "www.example.com", wantNames: []string{"www.example.com", "api.example.com"}},
		{name: "wildcard", pem: tu.CSRPEM(tu.WithDNSNames("*.example.com")), wantCN: "*.example.com", wantNames: []string{"*.example.com"}},
		{name: "punycode IDN", pem: tu.CSRPEM(tu.WithDNSNames("xn--bcher-kva.example")), wantCN: "xn--bcher-kva.example", wantNames: []string{"xn--bcher-kva.example"}},
		{name: "garbage", pem: []byte("hello"), wantErr: "no PEM block"},
		{name: "wrong PEM type", pem: []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), wantErr: `PEM "CERTIFICATE" block`},
		{name: "unparseable DER", pem: []byte("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"), wantErr: "cannot be parsed"},
		{name: "bad signature", pem: tampered, wantErr: "signature is invalid"},
		{name: "huge", pem: append([]byte("-----BEGIN CERTIFICATE REQUEST-----\n"), make([]byte, maxCSRBytes)...), wantErr: "bytes, more than"},
		{name: "isCA", pem: tu.CSRPEM(tu.WithCommonName("a.example.com")), isCA: true, wantErr: "CA certificate"},
		{name: "no names", pem: tu.CSRPEM(), wantErr: "names nothing"},
		{name: "IP SAN", pem: tu.CSRPEM(tu.WithCommonName("a.example.com"), tu.WithIPs("10.0.0.1")), wantErr: "IP address SANs"},
		{name: "URI SAN", pem: tu.CSRPEM(tu.WithCommonName("a.example.com"), tu.WithURIs("spiffe://x/y")), wantErr: "URI SANs"},
		{name: "email SAN", pem: tu.CSRPEM(tu.WithCommonName("a.example.com"), tu.WithEmails("a@example.com")), wantErr: "email SANs"},
		{name: "single label", pem: tu.CSRPEM(tu.WithDNSNames("localhost")), wantErr: "at least two labels"},
		{name: "wildcard inside a label", pem: tu.CSRPEM(tu.WithDNSNames("w*.example.com")), wantErr: "wildcard"},
		{name: "wildcard on a TLD", pem: tu.CSRPEM(tu.WithDNSNames("*.com")), wantErr: "wildcard"},
		{name: "wildcard not leftmost", pem: tu.CSRPEM(tu.WithDNSNames("a.*.example.com")), wantErr: "wildcard"},
		{name: "underscore", pem: tu.CSRPEM(tu.WithDNSNames("a_b.example.com")), wantErr: "not allowed in a host name"},
		{name: "raw unicode", pem: tu.CSRPEM(tu.WithCommonName("a.example.com"), tu.WithRawDNSName("bücher.example")), wantErr: "cannot be parsed"},
		{name: "leading hyphen", pem: tu.CSRPEM(tu.WithDNSNames("-a.example.com")), wantErr: "hyphen"},
		{name: "empty label", pem: tu.CSRPEM(tu.WithDNSNames("a..example.com")), wantErr: "1 to 63"},
		{name: "numeric TLD", pem: tu.CSRPEM(tu.WithDNSNames("10.0.0.1")), wantErr: "numeric"},
		{name: "too many names", pem: tu.CSRPEM(tu.WithDNSNames(manyNames...)), wantErr: "at most 250"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info, err := Parse(tc.pem, tc.isCA)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v, want an error containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if info.CommonName != tc.wantCN || strings.Join(info.DNSNames, ",") != strings.Join(tc.wantNames, ",") {
				t.Errorf("got %q %v, want %q %v", info.CommonName, info.DNSNames, tc.wantCN, tc.wantNames)
			}
		})
	}
}

func FuzzParseCSR(f *testing.F) {
	f.Add(tu.CSRPEM(tu.WithCommonName("www.example.com"), tu.WithDNSNames("a.example.com")), false)
	f.Add([]byte("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"), false)
	f.Add([]byte("garbage"), true)
	f.Fuzz(func(t *testing.T, pem []byte, isCA bool) {
		info, err := Parse(pem, isCA)
		if err == nil && (info.CommonName == "" || len(info.DNSNames) == 0 || info.DNSNames[0] != info.CommonName) {
			t.Fatalf("accepted a CSR without a usable name: %+v", info)
		}
	})
}
