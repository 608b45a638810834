package fake

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/certorder/certorder/internal/provider/fakeca"
)

// Submission kinds, as CertCentral names request types.
const (
	kindOrder     = "new_request"
	kindReissue   = "reissue"
	kindDuplicate = "duplicate"
)

// Certificate statuses.
const (
	statusPending  = "pending"
	statusIssued   = "issued"
	statusRejected = "rejected"
)

const (
	timeLayout = "2006-01-02T15:04:05+00:00"
	dateLayout = time.DateOnly
)

// cert is one submission: the certificate of a new order, a reissue or a
// duplicate, with the request that asked for it.
type cert struct {
	id, orderID, requestID int64
	kind                   string
	csrPEM                 string
	csr                    *x509.CertificateRequest
	commonName             string
	dnsNames               []string
	validity               time.Duration
	created, processed     time.Time
	comments               string

	needsApproval bool
	pollsLeft     int
	reject        string
	misissue      bool

	status string
	leaf   *x509.Certificate
}

// requestStatus is the status of the request behind the certificate.
func (c *cert) requestStatus() string {
	switch {
	case c.status == statusRejected:
		return statusRejected
	case c.needsApproval && c.status == statusPending:
		return statusPending
	default:
		return "approved"
	}
}

type order struct {
	id             int64
	product        string
	created        time.Time
	validTill      time.Time
	expired        bool
	dcvMethod      string
	dcvRandomValue string
	request        OrderRequest

	first, current       *cert
	reissues, duplicates []*cert
}

func (o *order) status() string {
	switch {
	case o.expired:
		return "expired"
	case o.first.status == statusRejected:
		return statusRejected
	case o.first.status == statusPending && o.first.needsApproval:
		return "needs_approval"
	case o.first.status == statusPending:
		return statusPending
	case slices.ContainsFunc(o.reissues, func(c *cert) bool { return c.status == statusPending }):
		return "reissue_pending"
	default:
		return statusIssued
	}
}

// organization is the order's organization reference, if any.
func (o *order) organization() *IDRef {
	if o.request.Organization == nil {
		return nil
	}
	return &IDRef{ID: o.request.Organization.ID}
}

// multiYear tells whether the plan outlasts the longest certificate.
func (o *order) multiYear() bool {
	return o.validTill.Sub(o.created) > 397*24*time.Hour
}

func (o *order) certs() []*cert {
	return slices.Concat([]*cert{o.first}, o.reissues, o.duplicates)
}

// names are the certificate's SANs: the common name first, then the other
// names, once each.
func names(commonName string, dnsNames []string) []string {
	out := []string{commonName}
	for _, n := range dnsNames {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// poll advances the order's pending submissions by one poll. Callers hold
// s.mu.
func (s *Server) poll(o *order) error {
	for _, c := range o.certs() {
		if c.status != statusPending || s.awaitsDCV(o, c) {
			continue
		}
		if c.pollsLeft > 0 {
			c.pollsLeft--
			continue
		}
		if err := s.settle(o, c); err != nil {
			return err
		}
	}
	return nil
}

// settle ends a submission: rejected with the scripted reason, or signed.
func (s *Server) settle(o *order, c *cert) error {
	c.processed = time.Now()
	if c.reject != "" {
		c.status = statusRejected
		return nil
	}
	csr := c.csr
	if c.misissue {
		other, err := otherKey(c.csr)
		if err != nil {
			return err
		}
		csr = other
	}
	leaf, err := s.CA().Sign(csr, c.commonName, names(c.commonName, c.dnsNames), c.validity)
	if err != nil {
		return fmt.Errorf("signing certificate %d: %w", c.id, err)
	}
	c.leaf, c.status = leaf, statusIssued
	if c.kind != kindDuplicate {
		o.current = c
	}
	return nil
}

// otherKey is csr with a fresh public key.
func otherKey(csr *x509.CertificateRequest) (*x509.CertificateRequest, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	other := *csr
	other.PublicKey = key.Public()
	return &other, nil
}

// chainPEM is leaf, intermediate and root with CRLF line ends, as pem_all
// downloads are.
func (s *Server) chainPEM(c *cert, withIntermediate, withRoot bool) []string {
	out := []string{crlf(fakeca.PEM(c.leaf))}
	if withIntermediate {
		out = append(out, crlf(fakeca.PEM(s.CA().Intermediate)))
	}
	if withRoot {
		out = append(out, crlf(fakeca.PEM(s.CA().Root)))
	}
	return out
}

func (c *cert) json() certificateJSON {
	j := certificateJSON{
		ID:          c.id,
		CommonName:  c.commonName,
		DNSNames:    names(c.commonName, c.dnsNames),
		CSR:         c.csrPEM,
		DateCreated: c.created.UTC().Format(timeLayout),
	}
	if c.leaf != nil {
		j.DateIssued = c.processed.UTC().Format(timeLayout)
		j.ValidFrom = c.leaf.NotBefore.UTC().Format(dateLayout)
		j.ValidTill = c.leaf.NotAfter.UTC().Format(dateLayout)
		j.SerialNumber = fmt.Sprintf("%X", c.leaf.SerialNumber)
		sum := sha1.Sum(c.leaf.Raw)
		j.Thumbprint = strings.ToUpper(hex.EncodeToString(sum[:]))
		j.DaysRemaining = int(time.Until(c.leaf.NotAfter).Hours() / 24)
	}
	if pub, ok := c.csr.PublicKey.(*ecdsa.PublicKey); ok {
		j.KeySize = pub.Curve.Params().BitSize
	} else if pub, ok := c.csr.PublicKey.(*rsa.PublicKey); ok {
		j.KeySize = pub.N.BitLen()
	}
	return j
}

// listStatus is a reissue's or a duplicate's status in its order's list.
// The list-duplicates docs show an issued duplicate as "approved", so the
// fake lists issued duplicates so, with their certificate data; a
// duplicate approved but not yet issued lists as "approved" without it
// (modelled).
func (c *cert) listStatus() string {
	if c.kind == kindDuplicate && (c.status == statusIssued || (c.status == statusPending && !c.needsApproval)) {
		return "approved"
	}
	return c.status
}

func (o *order) json() orderJSON {
	cur := o.current.json()
	if o.status() == "needs_approval" {
		// Until its request is approved, an order's certificate has no id.
		cur.ID = 0
	}
	cur.SignatureHash = o.request.Certificate.SignatureHash
	cur.ServerPlatform = o.request.Certificate.ServerPlatform
	j := orderJSON{
		ID:             o.id,
		Status:         o.status(),
		DateCreated:    o.created.UTC().Format(timeLayout),
		OrderValidTill: o.validTill.Format(dateLayout),
		DCVMethod:      o.dcvMethod,
		Certificate:    cur,
		Product:        productJSON{NameID: o.product},
		Organization:   o.organization(),
		Container:      o.request.Container,
		IsRenewal:      o.request.RenewalOfOrderID != 0,
	}
	if o.multiYear() {
		j.IsMultiYearPlan = "1"
	}
	for _, c := range o.certs() {
		j.Requests = append(j.Requests, requestJSON{ID: c.requestID, Date: c.created.UTC().Format(timeLayout), Type: c.kind, Status: c.requestStatus()})
	}
	return j
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
