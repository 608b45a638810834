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

// MaxChain caps the certificates of a CA's bundle. It is counted before
// anything is parsed or any signature checked, so a hostile answer cannot
// make certorder verify thousands of signatures.
const MaxChain = 10

// ParseChain reads PEM certificates in any order, with LF, CRLF or no line
// breaks at all, and arranges them leaf first. The path is built from the
// leaf, each certificate's issuer found by name and signature; whatever is
// left over (cross-signed or extra roots, as in USERTrust bundles) is
// dropped. Non-certificate blocks are an error, and so is a bundle of more
// than MaxChain certificates.
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
	bySubject := map[string][]*x509.Certificate{}
	for _, c := range certs {
		bySubject[string(c.RawSubject)] = append(bySubject[string(c.RawSubject)], c)
	}
	chain := &Chain{Leaf: leaf}
	used := map[*x509.Certificate]bool{leaf: true}
	for cur := leaf; ; {
		next := issuerOf(cur, bySubject[string(cur.RawIssuer)], used)
		if next == nil {
			break
		}
		used[next] = true
		if bytes.Equal(next.RawIssuer, next.RawSubject) {
			chain.Root = next
			break
		}
		chain.Intermediates = append(chain.Intermediates, next)
		cur = next
	}
	return chain, nil
}

func parseCertificates(bundle []byte) ([]*x509.Certificate, error) {
	blocks, err := decodePEM(bundle, MaxChain)
	if err != nil {
		return nil, fmt.Errorf("the CA's chain: %w", err)
	}
	certs := make([]*x509.Certificate, 0, len(blocks))
	for _, b := range blocks {
		if b.typ != "CERTIFICATE" {
			return nil, fmt.Errorf("unexpected PEM block %q in the CA's chain", b.typ)
		}
		cert, err := x509.ParseCertificate(b.der)
		if err != nil {
			return nil, fmt.Errorf("parsing a certificate of the CA's chain: %w", err)
		}
		certs = append(certs, cert)
	}
	return certs, nil
}

// findLeaf returns the end-entity certificate: the one certificate that is
// not a CA, or else the one that issued none of the others by name.
func findLeaf(certs []*x509.Certificate) (*x509.Certificate, error) {
	var endEntities []*x509.Certificate
	for _, c := range certs {
		if !c.IsCA {
			endEntities = append(endEntities, c)
		}
	}
	if len(endEntities) == 1 {
		return endEntities[0], nil
	}
	if len(endEntities) > 1 {
		return nil, fmt.Errorf("the CA's chain has %d end-entity certificates, want 1", len(endEntities))
	}
	issuers := map[string]bool{}
	for _, c := range certs {
		if !bytes.Equal(c.RawIssuer, c.RawSubject) {
			issuers[string(c.RawIssuer)] = true
		}
	}
	var leaves []*x509.Certificate
	for _, c := range certs {
		if !issuers[string(c.RawSubject)] {
			leaves = append(leaves, c)
		}
	}
	if len(leaves) != 1 {
		return nil, fmt.Errorf("the CA's chain has %d candidate leaf certificates, want 1", len(leaves))
	}
	return leaves[0], nil
}

// issuerOf is the first unused candidate, in bundle order, whose key signed c.
func issuerOf(c *x509.Certificate, candidates []*x509.Certificate, used map[*x509.Certificate]bool) *x509.Certificate {
	for _, o := range candidates {
		if !used[o] && c.CheckSignatureFrom(o) == nil {
			return o
		}
	}
	return nil
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
