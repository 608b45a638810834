package csr

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
)

// The RSA sizes public CAs sign. The CA/Browser Forum baseline
// requirements (section 6.1.5, https://cabforum.org/working-groups/server/baseline-requirements/)
// set 2048 bits as the floor and ask for a modulus in whole bytes; DigiCert
// signs RSA of 2048, 3072 and 4096 bits and ECC P-256 and P-384 only
// (https://docs.digicert.com/en/certcentral/order-and-manage-certificates/prepare-to-request-certificates/generate-a-certificate-signing-request--csr-.html).
const (
	minRSABits = 2048
	maxRSABits = 4096
)

// checkKey refuses a public key the CAs will not certify, so the request
// fails with InvalidRequest before anything, paid or free, is sent:
// RSA below 2048 or above 4096 bits, an RSA modulus not in whole bytes or
// with an even or tiny exponent, ECDSA on any curve but P-256 and P-384,
// Ed25519, and anything else.
func checkKey(csr *x509.CertificateRequest) error {
	const accepted = "the CAs accept RSA of 2048 to 4096 bits and ECDSA P-256 or P-384"
	switch k := csr.PublicKey.(type) {
	case *rsa.PublicKey:
		bits := k.N.BitLen()
		switch {
		case bits < minRSABits || bits > maxRSABits:
			return fmt.Errorf("the CSR's key is RSA of %d bits; %s", bits, accepted)
		case bits%8 != 0:
			return fmt.Errorf("the CSR's RSA modulus is %d bits, not a whole number of bytes; %s", bits, accepted)
		case k.E < 3 || k.E%2 == 0:
			return fmt.Errorf("the CSR's RSA public exponent %d is not an odd number of at least 3", k.E)
		}
		return nil
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() || k.Curve == elliptic.P384() {
			return nil
		}
		return fmt.Errorf("the CSR's key is ECDSA on curve %s; %s", k.Curve.Params().Name, accepted)
	case ed25519.PublicKey:
		return fmt.Errorf("the CSR's key is Ed25519, which public TLS CAs do not certify; %s", accepted)
	}
	return fmt.Errorf("the CSR's key is of type %s; %s", csr.PublicKeyAlgorithm, accepted)
}
