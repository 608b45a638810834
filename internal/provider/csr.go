package provider

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
)

// SameCSR tells whether two PEM CSRs are the same request. CAs echo CSRs
// back reformatted (CRLF line ends, other line lengths, surrounding
// whitespace, or all on one line as Openprovider's examples show), so they
// are compared by their DER bytes.
func SameCSR(a, b []byte) bool {
	da, errA := csrDER(a)
	db, errB := csrDER(b)
	return errA == nil && errB == nil && bytes.Equal(da, db)
}

// ParseCSR reads a PEM CSR in any of the layouts SameCSR accepts.
func ParseCSR(p []byte) (*x509.CertificateRequest, error) {
	der, err := csrDER(p)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificateRequest(der)
}

func csrDER(p []byte) ([]byte, error) {
	blocks, err := decodePEM(p, 1)
	if err != nil {
		return nil, err
	}
	if len(blocks) != 1 || (blocks[0].typ != "CERTIFICATE REQUEST" && blocks[0].typ != "NEW CERTIFICATE REQUEST") {
		return nil, errors.New("not one PEM certificate request")
	}
	return blocks[0].der, nil
}

// pemBlock is one decoded PEM block.
type pemBlock struct {
	typ string
	der []byte
}

var (
	pemBegin = []byte("-----BEGIN ")
	pemDash  = []byte("-----")
)

// decodePEM reads up to limit PEM blocks, more leniently than encoding/pem:
// line breaks may be LF, CRLF or missing altogether (a whole block on one
// line), and the base64 may be wrapped at any width. RFC 1421 headers
// ("Name: value" lines) are skipped. Anything but whitespace between and
// around blocks is an error, and so are more than limit blocks: they are
// counted before anything is decoded.
func decodePEM(data []byte, limit int) ([]pemBlock, error) {
	var blocks []pemBlock
	for {
		i := bytes.Index(data, pemBegin)
		if i < 0 {
			if len(bytes.TrimSpace(data)) != 0 {
				return nil, errors.New("data that is not PEM")
			}
			return blocks, nil
		}
		if len(bytes.TrimSpace(data[:i])) != 0 {
			return nil, errors.New("data that is not PEM before a PEM block")
		}
		if len(blocks) == limit {
			return nil, fmt.Errorf("more than %d PEM blocks", limit)
		}
		rest := data[i+len(pemBegin):]
		j := bytes.Index(rest, pemDash)
		if j < 0 || bytes.ContainsAny(rest[:j], "\r\n") {
			return nil, errors.New("a PEM BEGIN line without its end")
		}
		typ := string(rest[:j])
		rest = rest[j+len(pemDash):]
		end := []byte("-----END " + typ + "-----")
		k := bytes.Index(rest, end)
		if k < 0 {
			return nil, fmt.Errorf("a PEM %q block without its END line", typ)
		}
		der, err := pemBody(rest[:k])
		if err != nil {
			return nil, fmt.Errorf("a PEM %q block: %w", typ, err)
		}
		blocks = append(blocks, pemBlock{typ: typ, der: der})
		data = rest[k+len(end):]
	}
}

// pemBody decodes the base64 of a block, without its header lines and
// whitespace.
func pemBody(body []byte) ([]byte, error) {
	var b64 []byte
	for _, line := range bytes.Split(bytes.ReplaceAll(body, []byte("\r"), []byte("\n")), []byte("\n")) {
		if !bytes.Contains(line, []byte(":")) {
			b64 = append(b64, bytes.Join(bytes.Fields(line), nil)...)
		}
	}
	der, err := base64.StdEncoding.DecodeString(string(b64))
	if err != nil {
		return nil, fmt.Errorf("bad base64: %w", err)
	}
	return der, nil
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
