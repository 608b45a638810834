package csr

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
)

// csrWithKey is a CSR for a.example.com signed by key.
func csrWithKey(t *testing.T, key crypto.Signer) []byte {
	t.Helper()
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "a.example.com"}}, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})
}

func rsaKey(t *testing.T, bits int) crypto.Signer {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func ecKey(t *testing.T, c elliptic.Curve) crypto.Signer {
	t.Helper()
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestParseRefusesWeakKeys: a key the CAs refuse fails in Parse, whose
// errors the request controller turns into InvalidRequest before any CA
// call.
func TestParseRefusesWeakKeys(t *testing.T) {
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		key     crypto.Signer
		wantErr string
	}{
		{name: "RSA 2048", key: rsaKey(t, 2048)},
		{name: "ECDSA P-256", key: ecKey(t, elliptic.P256())},
		{name: "ECDSA P-384", key: ecKey(t, elliptic.P384())},
		{name: "RSA 1024", key: rsaKey(t, 1024), wantErr: "RSA of 1024 bits"},
		{name: "RSA 2040", key: rsaKey(t, 2040), wantErr: "RSA of 2040 bits"},
		{name: "ECDSA P-224", key: ecKey(t, elliptic.P224()), wantErr: "curve P-224"},
		{name: "ECDSA P-521", key: ecKey(t, elliptic.P521()), wantErr: "curve P-521"},
		{name: "Ed25519", key: edKey, wantErr: "Ed25519"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(csrWithKey(t, tc.key), false)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("got %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestCheckKeyRSAShape(t *testing.T) {
	k := rsaKey(t, 2048).(*rsa.PrivateKey)
	for _, tc := range []struct {
		name    string
		pub     rsa.PublicKey
		wantErr string
	}{
		{name: "exponent 65537", pub: k.PublicKey},
		{name: "even exponent", pub: rsa.PublicKey{N: k.N, E: 65536}, wantErr: "exponent 65536"},
		{name: "exponent 1", pub: rsa.PublicKey{N: k.N, E: 1}, wantErr: "exponent 1"},
		{name: "modulus of 2049 bits", pub: rsa.PublicKey{N: new(big.Int).Lsh(big.NewInt(1), 2048), E: 65537}, wantErr: "not a whole number of bytes"},
		{name: "modulus of 4104 bits", pub: rsa.PublicKey{N: new(big.Int).Lsh(big.NewInt(1), 4103), E: 65537}, wantErr: "RSA of 4104 bits"},
		{name: "modulus of 8192 bits", pub: rsa.PublicKey{N: new(big.Int).Lsh(big.NewInt(1), 8191), E: 65537}, wantErr: "RSA of 8192 bits"},
	} {
		csr := &x509.CertificateRequest{PublicKey: &tc.pub, PublicKeyAlgorithm: x509.RSA}
		err := checkKey(csr)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.wantErr)
		}
	}
	if err := checkKey(&x509.CertificateRequest{PublicKeyAlgorithm: x509.DSA}); err == nil || !strings.Contains(err.Error(), "DSA") {
		t.Errorf("a DSA key gave %v", err)
	}
}
