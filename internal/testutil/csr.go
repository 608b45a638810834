// Package testutil builds test objects from functional options, so
// table-driven tests stay short: CSRs and CertificateRequests.
package testutil

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"net"
	"net/url"
)

// CSROption shapes a CSR template.
type CSROption func(*x509.CertificateRequest)

// WithCommonName sets the subject common name.
func WithCommonName(cn string) CSROption {
	return func(t *x509.CertificateRequest) { t.Subject = pkix.Name{CommonName: cn} }
}

// WithDNSNames sets the DNS SANs.
func WithDNSNames(names ...string) CSROption {
	return func(t *x509.CertificateRequest) { t.DNSNames = names }
}

// WithIPs sets IP SANs.
func WithIPs(ips ...string) CSROption {
	return func(t *x509.CertificateRequest) {
		for _, ip := range ips {
			t.IPAddresses = append(t.IPAddresses, net.ParseIP(ip))
		}
	}
}

// WithURIs sets URI SANs.
func WithURIs(uris ...string) CSROption {
	return func(t *x509.CertificateRequest) {
		for _, u := range uris {
			parsed, _ := url.Parse(u)
			t.URIs = append(t.URIs, parsed)
		}
	}
}

// WithEmails sets email SANs.
func WithEmails(emails ...string) CSROption {
	return func(t *x509.CertificateRequest) { t.EmailAddresses = emails }
}

// CSR returns a new P-256 key and a PEM CSR signed by it.
func CSR(opts ...CSROption) (crypto.Signer, []byte) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.CertificateRequest{}
	for _, o := range opts {
		o(tmpl)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, tmpl, key)
	if err != nil {
		panic(err)
	}
	return key, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})
}

// CSRPEM is CSR without the key.
func CSRPEM(opts ...CSROption) []byte {
	_, p := CSR(opts...)
	return p
}

// WithRawDNSName puts a dNSName SAN in the CSR as raw bytes, unchecked,
// for hostile input such as unencoded unicode.
func WithRawDNSName(name string) CSROption {
	return func(t *x509.CertificateRequest) {
		san, err := asn1.Marshal([]asn1.RawValue{{Tag: 2, Class: asn1.ClassContextSpecific, Bytes: []byte(name)}})
		if err != nil {
			panic(err)
		}
		t.ExtraExtensions = append(t.ExtraExtensions, pkix.Extension{Id: asn1.ObjectIdentifier{2, 5, 29, 17}, Value: san})
	}
}
