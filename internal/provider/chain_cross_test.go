package provider_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/fakeca"
)

// signed issues a certificate for name and key, signed by parent's key.
func signed(t *testing.T, name string, isCA bool, key crypto.Signer, parent *x509.Certificate, parentKey crypto.Signer) *x509.Certificate {
	t.Helper()
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: isCA, BasicConstraintsValid: true, DNSNames: []string{"www.example.com"},
	}
	if isCA {
		tmpl.DNSNames, tmpl.KeyUsage = nil, x509.KeyUsageCertSign
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newKey(t *testing.T) crypto.Signer {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestParseChainCrossSigned: a USERTrust-style bundle holds the issuing CA
// under a root that is also cross-signed by an older root, which is in the
// bundle too. The path from the leaf is kept, the rest dropped.
func TestParseChainCrossSigned(t *testing.T) {
	oldKey, rootKey, interKey, leafKey := newKey(t), newKey(t), newKey(t), newKey(t)
	oldRoot := signed(t, "AAA Certificate Services", true, oldKey, nil, nil)
	root := signed(t, "USERTrust RSA Certification Authority", true, rootKey, nil, nil)
	cross := signed(t, "USERTrust RSA Certification Authority", true, rootKey, oldRoot, oldKey)
	inter := signed(t, "Sectigo RSA Domain Validation Secure Server CA", true, interKey, root, rootKey)
	leaf := signed(t, "www.example.com", false, leafKey, inter, interKey)
	for _, tc := range []struct {
		name     string
		bundle   []*x509.Certificate
		wantRoot *x509.Certificate
		wantLen  int
	}{
		{name: "cross-signed first", bundle: []*x509.Certificate{leaf, inter, cross, oldRoot, root}, wantRoot: oldRoot, wantLen: 2},
		{name: "self-signed first", bundle: []*x509.Certificate{root, cross, oldRoot, inter, leaf}, wantRoot: root, wantLen: 1},
		{name: "cross-signed without the old root", bundle: []*x509.Certificate{leaf, inter, cross}, wantLen: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var bundle string
			for _, c := range tc.bundle {
				bundle += fakeca.PEM(c)
			}
			chain, err := provider.ParseChain([]byte(bundle))
			if err != nil {
				t.Fatal(err)
			}
			if !chain.Leaf.Equal(leaf) || len(chain.Intermediates) != tc.wantLen || !chain.Intermediates[0].Equal(inter) {
				t.Fatalf("leaf %s, %d intermediates", chain.Leaf.Subject, len(chain.Intermediates))
			}
			if (chain.Root == nil) != (tc.wantRoot == nil) || (tc.wantRoot != nil && !chain.Root.Equal(tc.wantRoot)) {
				t.Fatalf("root %v, want %v", chain.Root, tc.wantRoot)
			}
		})
	}
}
