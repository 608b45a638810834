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
		{name: "unrelated root appended", bundle: l + i + fakeca.PEM(other.Root) + r, wantRoot: true},
		{name: "another CA's chain appended", bundle: fakeca.PEM(other.Intermediate) + l + i + fakeca.PEM(other.Root), wantRoot: false},
		{name: "one line each, as Openprovider echoes PEM", bundle: oneLine(l) + oneLine(i) + oneLine(r), wantRoot: true},
		{name: "all on one line", bundle: strings.ReplaceAll(l+i+r, "\n", ""), wantRoot: true},
		{name: "headers and indentation", bundle: withHeader(l) + "\n\t " + strings.ReplaceAll(i, "\n", "\n  ") + r, wantRoot: true},
		{name: "two leaves", bundle: l + i + l, wantErr: "2 end-entity certificates"},
		{name: "text between blocks", bundle: l + "subject=CN=x\n" + i, wantErr: "not PEM"},
		{name: "more than MaxChain", bundle: l + strings.Repeat(i, provider.MaxChain), wantErr: "more than 10 PEM blocks"},
		{name: "5000 certificates", bundle: strings.Repeat(i, 5000), wantErr: "more than 10 PEM blocks"},
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

// oneLine puts a PEM block on one line, as Openprovider's examples show.
func oneLine(p string) string { return strings.ReplaceAll(p, "\n", "") + "\n" }

// withHeader adds an RFC 1421 header to a PEM block.
func withHeader(p string) string {
	return strings.Replace(p, "-----\n", "-----\nProc-Type: 4,ENCRYPTED\n\n", 1)
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
