package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// verifySecret checks a Certificate's Secret: tls.key certifies tls.crt's
// leaf, the chain verifies to root (the fake CA's), which ca.crt holds, and
// the leaf carries exactly names. It returns the leaf.
func verifySecret(t *testing.T, s *corev1.Secret, root *x509.Certificate, names ...string) *x509.Certificate {
	t.Helper()
	for _, k := range []string{corev1.TLSCertKey, corev1.TLSPrivateKeyKey, "ca.crt"} {
		if len(s.Data[k]) == 0 {
			t.Fatalf("Secret %s has no %s", s.Name, k)
		}
	}
	// X509KeyPair fails unless the key matches the leaf.
	pair, err := tls.X509KeyPair(s.Data[corev1.TLSCertKey], s.Data[corev1.TLSPrivateKeyKey])
	if err != nil {
		t.Fatalf("tls.crt and tls.key: %v", err)
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(pair.Certificate) < 2 {
		t.Fatalf("tls.crt holds %d certificates, want the leaf and its intermediate", len(pair.Certificate))
	}
	inter := x509.NewCertPool()
	for _, der := range pair.Certificate[1:] {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		inter.AddCert(c)
	}
	b, _ := pem.Decode(s.Data["ca.crt"])
	if b == nil {
		t.Fatal("ca.crt is not PEM")
	}
	ca, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !ca.Equal(root) {
		t.Errorf("ca.crt is %q, want the fake CA's root %q", ca.Subject, root.Subject)
	}
	roots := x509.NewCertPool()
	roots.AddCert(root)
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, DNSName: names[0]}); err != nil {
		t.Errorf("the chain does not verify to the fake root: %v", err)
	}
	if got, want := slices.Sorted(slices.Values(leaf.DNSNames)), slices.Sorted(slices.Values(names)); !slices.Equal(got, want) {
		t.Errorf("leaf names %v, want %v", got, want)
	}
	return leaf
}
