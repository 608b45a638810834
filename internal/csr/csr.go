// Package csr checks a CertificateRequest's CSR before anything is sent to
// a CA, and extracts the names to send: CAs do not read them out of the CSR.
package csr

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strings"
)

const (
	// maxCSRBytes bounds the CSR certorder is willing to parse.
	maxCSRBytes = 64 << 10
	// maxNames is the most names one public certificate may carry; DigiCert
	// and Openprovider multi-domain products stop at 250.
	maxNames = 250
)

// Info is a checked CSR with the names to send to the CA.
type Info struct {
	CSR        *x509.CertificateRequest
	CommonName string
	// DNSNames are every name of the request, the common name first,
	// lower-cased and without duplicates.
	DNSNames []string
}

// Parse decodes a CertificateRequest's CSR and refuses what no public CA
// will sign. Its errors are meant for the user.
func Parse(pemBytes []byte, isCA bool) (*Info, error) {
	if isCA {
		return nil, errors.New("the request asks for a CA certificate (isCA: true); public CAs only sell end-entity certificates")
	}
	if len(pemBytes) > maxCSRBytes {
		return nil, fmt.Errorf("the CSR is %d bytes, more than the %d a CSR can reasonably be", len(pemBytes), maxCSRBytes)
	}
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, errors.New("spec.request holds no PEM block; it must be a PEM-encoded CERTIFICATE REQUEST")
	}
	if block.Type != "CERTIFICATE REQUEST" && block.Type != "NEW CERTIFICATE REQUEST" {
		return nil, fmt.Errorf("spec.request holds a PEM %q block, want CERTIFICATE REQUEST", block.Type)
	}
	csr, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("the CSR cannot be parsed: %w", err)
	}
	if err := checkKey(csr); err != nil {
		return nil, err
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, fmt.Errorf("the CSR's signature is invalid: %w", err)
	}
	switch {
	case len(csr.IPAddresses) > 0:
		return nil, fmt.Errorf("the CSR has IP address SANs (%v); public CAs certify DNS names only", csr.IPAddresses)
	case len(csr.URIs) > 0:
		return nil, errors.New("the CSR has URI SANs; public TLS CAs certify DNS names only")
	case len(csr.EmailAddresses) > 0:
		return nil, errors.New("the CSR has email SANs; public TLS CAs certify DNS names only")
	}
	return checkNames(csr)
}

func checkNames(csr *x509.CertificateRequest) (*Info, error) {
	info := &Info{CSR: csr, CommonName: strings.ToLower(csr.Subject.CommonName)}
	if info.CommonName == "" && len(csr.DNSNames) > 0 {
		info.CommonName = strings.ToLower(csr.DNSNames[0])
	}
	if info.CommonName == "" {
		return nil, errors.New("the CSR names nothing: it has neither a common name nor DNS names")
	}
	for _, n := range append([]string{info.CommonName}, csr.DNSNames...) {
		n = strings.ToLower(n)
		if slices.Contains(info.DNSNames, n) {
			continue
		}
		if err := checkPublicDNSName(n); err != nil {
			return nil, err
		}
		info.DNSNames = append(info.DNSNames, n)
	}
	if len(info.DNSNames) > maxNames {
		return nil, fmt.Errorf("the CSR has %d names; a public certificate carries at most %d", len(info.DNSNames), maxNames)
	}
	return info, nil
}

// checkPublicDNSName accepts a fully qualified, publicly resolvable host
// name, optionally with a wildcard as its whole leftmost label.
func checkPublicDNSName(name string) error {
	bad := func(why string) error { return fmt.Errorf("%q cannot be in a public certificate: %s", name, why) }
	if len(name) > 253 {
		return bad("longer than 253 characters")
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return bad("a public name has at least two labels")
	}
	for i, l := range labels {
		if l == "*" && i == 0 && len(labels) > 2 {
			continue
		}
		if strings.Contains(l, "*") {
			return bad("a wildcard must be the whole leftmost label of a name under a registered domain")
		}
		if err := checkLabel(l); err != nil {
			return bad(err.Error())
		}
	}
	if tld := labels[len(labels)-1]; strings.Trim(tld, "0123456789") == "" {
		return bad("the top-level domain is numeric")
	}
	return nil
}

func checkLabel(l string) error {
	if l == "" || len(l) > 63 {
		return errors.New("each label is 1 to 63 characters")
	}
	if l[0] == '-' || l[len(l)-1] == '-' {
		return errors.New("a label cannot start or end with a hyphen")
	}
	for _, c := range l {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("%q is not allowed in a host name (internationalized names must be sent in their xn-- form)", c)
		}
	}
	return nil
}
