package provider

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// SameCSR tells whether two PEM CSRs (LF or CRLF, any surrounding
// whitespace) are the same request. CAs echo CSRs back reformatted, so
// they are compared by their DER bytes.
func SameCSR(a, b []byte) bool {
	da, errA := csrDER(a)
	db, errB := csrDER(b)
	return errA == nil && errB == nil && bytes.Equal(da, db)
}

func csrDER(p []byte) ([]byte, error) {
	block, _ := pem.Decode(bytes.TrimSpace(bytes.ReplaceAll(p, []byte("\r\n"), []byte("\n"))))
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	return block.Bytes, nil
}

// MatchesCSR checks that the chain's leaf certifies the CSR's public key.
func (c *Chain) MatchesCSR(csr *x509.CertificateRequest) error {
	type publicKey interface{ Equal(x crypto.PublicKey) bool }
	pk, ok := c.Leaf.PublicKey.(publicKey)
	if !ok || !pk.Equal(csr.PublicKey) {
		return fmt.Errorf("the issued certificate (serial %s) does not certify the CSR's public key", c.Leaf.SerialNumber)
	}
	return nil
}
