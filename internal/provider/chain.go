package provider

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// Chain is an issued certificate with the chain the CA returned.
type Chain struct {
	// Leaf is the issued certificate.
	Leaf *x509.Certificate
	// Intermediates lead from the leaf towards the root, in order.
	Intermediates []*x509.Certificate
	// Root is the self-signed root, when the CA returned one.
	Root *x509.Certificate
}

// ParseChain reads PEM certificates in any order, with LF or CRLF line ends,
// and arranges them leaf first. Non-certificate blocks are an error, and so
// is a bundle that is not one chain.
func ParseChain(bundle []byte) (*Chain, error) {
	certs, err := parseCertificates(bundle)
	if err != nil {
		return nil, err
	}
	if len(certs) == 0 {
		return nil, errors.New("no certificate in the CA's response")
	}
	leaf, err := findLeaf(certs)
	if err != nil {
		return nil, err
	}
	chain := &Chain{Leaf: leaf}
	used := map[*x509.Certificate]bool{leaf: true}
	for cur := leaf; ; {
		next := issuerOf(cur, certs, used)
		if next == nil {
			break
		}
		used[next] = true
		if isSelfSigned(next) {
			chain.Root = next
			break
		}
		chain.Intermediates = append(chain.Intermediates, next)
		cur = next
	}
	if len(used) != len(certs) {
		return nil, fmt.Errorf("the CA returned %d certificates that do not form one chain from %q", len(certs), leaf.Subject.CommonName)
	}
	return chain, nil
}

func parseCertificates(bundle []byte) ([]*x509.Certificate, error) {
	rest := bytes.ReplaceAll(bundle, []byte("\r\n"), []byte("\n"))
	var certs []*x509.Certificate
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("unexpected PEM block %q in the CA's chain", block.Type)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parsing a certificate of the CA's chain: %w", err)
		}
		certs = append(certs, cert)
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return nil, errors.New("the CA's chain holds data that is not PEM")
	}
	return certs, nil
}

// findLeaf returns the one certificate that issued none of the others.
func findLeaf(certs []*x509.Certificate) (*x509.Certificate, error) {
	var leaves []*x509.Certificate
	for _, c := range certs {
		issuedOther := false
		for _, o := range certs {
			if o != c && bytes.Equal(o.RawIssuer, c.RawSubject) && !isSelfSigned(o) {
				issuedOther = true
				break
			}
		}
		if !issuedOther {
			leaves = append(leaves, c)
		}
	}
	if len(leaves) != 1 {
		return nil, fmt.Errorf("the CA's chain has %d candidate leaf certificates, want 1", len(leaves))
	}
	return leaves[0], nil
}

func issuerOf(c *x509.Certificate, certs []*x509.Certificate, used map[*x509.Certificate]bool) *x509.Certificate {
	for _, o := range certs {
		if !used[o] && bytes.Equal(c.RawIssuer, o.RawSubject) && c.CheckSignatureFrom(o) == nil {
			return o
		}
	}
	return nil
}

func isSelfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject) && c.CheckSignatureFrom(c) == nil
}

// CertificatePEM is the leaf followed by the intermediates, as cert-manager
// expects in CertificateRequest.status.certificate.
func (c *Chain) CertificatePEM() []byte {
	out := encodePEM(c.Leaf)
	for _, ic := range c.Intermediates {
		out = append(out, encodePEM(ic)...)
	}
	return out
}

// CAPEM is the root, or nil when the CA did not return one.
func (c *Chain) CAPEM() []byte {
	if c.Root == nil {
		return nil
	}
	return encodePEM(c.Root)
}

func encodePEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}
