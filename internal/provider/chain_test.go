package provider_test

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/fakeca"
	tu "github.com/certorder/certorder/internal/testutil"
)

func TestParseChain(t *testing.T) {
	ca, err := fakeca.New("Test")
	if err != nil {
		t.Fatal(err)
	}
	other, err := fakeca.New("Other")
	if err != nil {
		t.Fatal(err)
	}
	_, csrPEM := tu.CSR(tu.WithCommonName("www.example.com"))
	csr, err := fakeca.ParseCSR(string(csrPEM))
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := ca.Sign(csr, "www.example.com", []string{"www.example.com"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	l, i, r := fakeca.PEM(leaf), fakeca.PEM(ca.Intermediate), fakeca.PEM(ca.Root)

	for _, tc := range []struct {
		name     string
		bundle   string
		wantRoot bool
		wantErr  string
	}{
		{name: "leaf, intermediate, root", bundle: l + i + r, wantRoot: true},
		{name: "CRLF line ends", bundle: strings.ReplaceAll(l+i+r, "\n", "\r\n"), wantRoot: true},
		{name: "any order", bundle: r + l + i, wantRoot: true},
		{name: "without the root", bundle: l + i},
		{name: "empty", bundle: "", wantErr: "no certificate"},
		{name: "not PEM", bundle: "<html>oops</html>", wantErr: "not PEM"},
		{name: "a key block", bundle: l + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", wantErr: `unexpected PEM block "PRIVATE KEY"`},
		{name: "corrupt certificate", bundle: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", wantErr: "parsing a certificate"},
		{name: "another CA's intermediate", bundle: l + fakeca.PEM(other.Intermediate), wantErr: "candidate leaf"},
		{name: "unrelated root appended", bundle: l + i + fakeca.PEM(other.Root), wantErr: "candidate leaf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chain, err := provider.ParseChain([]byte(tc.bundle))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v, want an error containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !chain.Leaf.Equal(leaf) || len(chain.Intermediates) != 1 || !chain.Intermediates[0].Equal(ca.Intermediate) {
				t.Fatalf("chain out of order: leaf %s, intermediates %d", chain.Leaf.Subject, len(chain.Intermediates))
			}
			if (chain.Root != nil) != tc.wantRoot || (tc.wantRoot && string(chain.CAPEM()) != r) {
				t.Errorf("root: got %v, want %v", chain.Root != nil, tc.wantRoot)
			}
			if got := string(chain.CertificatePEM()); got != l+i {
				t.Errorf("CertificatePEM is not leaf then intermediate:\n%s", got)
			}
			if err := chain.MatchesCSR(csr); err != nil {
				t.Error(err)
			}
		})
	}

	t.Run("a leaf for another key does not match the CSR", func(t *testing.T) {
		chain, err := provider.ParseChain([]byte(l + i))
		if err != nil {
			t.Fatal(err)
		}
		_, otherPEM := tu.CSR(tu.WithCommonName("www.example.com"))
		otherCSR, _ := x509.ParseCertificateRequest(mustDER(t, otherPEM))
		if err := chain.MatchesCSR(otherCSR); err == nil {
			t.Error("a certificate for another key matched the CSR")
		}
	})
}

func FuzzParseChain(f *testing.F) {
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, b []byte) {
		chain, err := provider.ParseChain(b)
		if err == nil && chain.Leaf == nil {
			t.Fatal("a chain without a leaf")
		}
	})
}
