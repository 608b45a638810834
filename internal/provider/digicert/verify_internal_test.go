package digicert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/fakeca"
)

func TestAnswerVerify(t *testing.T) {
	ca, err := fakeca.New("Test")
	if err != nil {
		t.Fatal(err)
	}
	csrPEM, csr := newTestCSR(t, "a.example.com", "b.example.com")
	chainFor := func(names ...string) *provider.Chain {
		leaf, err := ca.Sign(csr, names[0], names, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return &provider.Chain{Leaf: leaf}
	}
	tests := []struct {
		name  string
		a     answer
		chain *provider.Chain
		err   string
	}{
		{"names as requested", answer{csr: csrPEM, names: []string{"a.example.com", "B.example.com"}}, chainFor("a.example.com", "b.example.com"), ""},
		{"names from the CSR", answer{csr: csrPEM}, chainFor("a.example.com", "b.example.com", "www.a.example.com"), ""},
		{"a requested name missing", answer{csr: csrPEM, names: []string{"a.example.com", "c.example.com"}}, chainFor("a.example.com", "b.example.com"), `does not name "c.example.com"`},
		{"a CSR name missing", answer{csr: csrPEM}, chainFor("a.example.com"), `does not name "b.example.com"`},
		{"no CSR, nothing to check", answer{}, chainFor("x.example.com"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.a.verify(tt.chain)
			if (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
				t.Fatalf("verify: %v, want %q", err, tt.err)
			}
		})
	}
}

func TestSerialHex(t *testing.T) {
	for in, want := range map[string]string{"0A1B2C": "a1b2c", "0a:1b:2c": "a1b2c", "00": "0", "": "", "FF": "ff"} {
		if got := serialHex(in); got != want {
			t.Errorf("serialHex(%q) = %q, want %q", in, got, want)
		}
	}
}

// testCSR is a PEM CSR for a fresh key naming cn.
func testCSR(t *testing.T, cn string) string {
	t.Helper()
	p, _ := newTestCSR(t, cn)
	return string(p)
}

// newTestCSR is a CSR for a fresh key naming cn and dnsNames, as PEM and
// parsed.
func newTestCSR(t *testing.T, cn string, dnsNames ...string) ([]byte, *x509.CertificateRequest) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: cn}, DNSNames: append([]string{cn}, dnsNames...)}, key)
	if err != nil {
		t.Fatal(err)
	}
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}), csr
}
