package fake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/fakeca"
)

// createOrder is POST /order/certificate/{product_name_id}.
func (s *Server) createOrder(w http.ResponseWriter, r *http.Request) error {
	product := r.PathValue("product_name_id")
	if len(s.opts.Products) > 0 && !slices.Contains(s.opts.Products, product) {
		return &apiError{http.StatusNotFound, "not_found|product", "The product " + product + " was not found or is not enabled for this account."}
	}
	var req OrderRequest
	if err := decodeBody(r, &req); err != nil {
		return err
	}
	if s.opts.RequireOrganization && !isDV(product) && (req.Organization == nil || req.Organization.ID == 0) {
		// Modelled: DigiCert does not document this code.
		return &apiError{http.StatusBadRequest, "invalid_organization", "organization.id is required for the product " + product + "."}
	}
	validTill, err := planEnd(req)
	if err != nil {
		return err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if req.RenewalOfOrderID != 0 && s.orders[req.RenewalOfOrderID] == nil {
		return &apiError{http.StatusNotFound, "not_found|order", "renewal_of_order_id names no order."}
	}
	o := &order{
		id:             s.nextID(),
		product:        product,
		created:        time.Now(),
		validTill:      validTill,
		dcvMethod:      req.DCVMethod,
		dcvRandomValue: randomValue(),
		request:        req,
	}
	c, err := s.newCert(o, kindOrder, req.Certificate, req.Certificate.CertValidity, req.Comments)
	if err != nil {
		return err
	}
	return s.accept(w, o, c)
}

// submitOnOrder is POST .../{order_id}/reissue and .../duplicate. A
// reissue's certificate.cert_validity counts only on a Multi-year Plan
// (modelled: the docs say only such a reissue may set it).
func (s *Server) submitOnOrder(kind string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		req, comments, err := decodeOnOrder(r, kind)
		if err != nil {
			return err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		o, err := s.pathOrder(r)
		if err != nil {
			return err
		}
		if st := o.status(); st != statusIssued {
			// Modelled: DigiCert does not document this code.
			return &apiError{http.StatusBadRequest, "invalid_order_status", "A " + kind + " needs an issued order; order is " + st + "."}
		}
		if kind == kindDuplicate && !sameNames(req, o.current) {
			// Modelled: DigiCert does not document this code.
			return &apiError{http.StatusBadRequest, "invalid_dns_names", "A duplicate must have the common name and names of the order."}
		}
		validity := req.CertValidity
		if !o.multiYear() {
			validity = nil
		}
		c, err := s.newCert(o, kind, req, validity, comments)
		if err != nil {
			return err
		}
		return s.accept(w, o, c)
	}
}

// newCert checks a submission and builds it with the scripted behaviour.
// Callers hold s.mu.
func (s *Server) newCert(o *order, kind string, cr CertificateRequest, v *Validity, comments string) (*cert, error) {
	if cr.CommonName == "" {
		return nil, &apiError{http.StatusBadRequest, "bad_request_format", "certificate.common_name is required."}
	}
	csr, err := fakeca.ParseCSR(cr.CSR)
	if err != nil {
		return nil, &apiError{http.StatusBadRequest, "csr_invalid_cannot_parse", "Unable to parse the CSR."}
	}
	now := time.Now()
	validity, err := certValidity(v, o.validTill, now)
	if err != nil {
		return nil, err
	}
	b := s.behavior
	return &cert{
		id:            s.nextID(),
		orderID:       o.id,
		requestID:     s.nextID(),
		kind:          kind,
		csrPEM:        cr.CSR,
		csr:           csr,
		commonName:    cr.CommonName,
		dnsNames:      cr.DNSNames,
		validity:      validity,
		created:       now,
		comments:      comments,
		needsApproval: b.Shape == NeedsApproval || (b.Shape == Immediate && b.Reject != ""),
		pollsLeft:     b.PendingPolls,
		reject:        b.Reject,
		misissue:      b.Misissue,
		status:        statusPending,
	}, nil
}

// accept records a checked submission and answers 201 in the scripted
// shape. Callers hold s.mu.
func (s *Server) accept(w http.ResponseWriter, o *order, c *cert) error {
	switch c.kind {
	case kindOrder:
		o.first, o.current = c, c
		s.orders[o.id] = o
		s.counts.Orders++
	case kindReissue:
		o.reissues = append(o.reissues, c)
		s.counts.Reissues++
	case kindDuplicate:
		o.duplicates = append(o.duplicates, c)
		s.counts.Duplicates++
	}
	s.certs[c.id], s.requests[c.requestID] = c, c
	if s.behavior.Shape == Immediate && c.reject == "" {
		if err := s.settle(o, c); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusCreated, s.answer(o, c))
	return nil
}

func (s *Server) answer(o *order, c *cert) submitAnswer {
	a := submitAnswer{ID: o.id}
	switch {
	case c.status == statusIssued:
		a.Requests = []requestRef{{ID: c.requestID, Status: "approved"}}
		a.CertificateID = c.id
		subjects := []string{c.commonName, s.CA().Intermediate.Subject.CommonName, s.CA().Root.Subject.CommonName}
		for i, p := range s.chainPEM(c, true, true) {
			a.CertificateChain = append(a.CertificateChain, chainEntry{SubjectCommonName: subjects[i], PEM: p})
		}
	case c.needsApproval:
		a.Requests = []requestRef{{ID: c.requestID, Status: statusPending}}
	default:
		a.CertificateID = c.id
		if c.kind != kindOrder {
			return a
		}
		a.DCVRandomValue = o.dcvRandomValue
		if o.dcvMethod != "dns-txt-token" {
			return a
		}
		for _, n := range names(c.commonName, c.dnsNames) {
			a.Domains = append(a.Domains, domainDCV{ID: s.nextID(), DNSName: n, DCVToken: dcvToken{
				Token: o.dcvRandomValue, Status: statusPending, ExpirationDate: o.dcvExpiry(),
			}})
		}
	}
	return a
}

// decodeBody reads a request body, refusing fields the endpoint's docs do
// not list (modelled: DigiCert's answer to an unknown field is not
// documented; refusing it catches a client that sends one).
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &apiError{http.StatusBadRequest, "bad_request_format", "The request body is not valid JSON or has a field this endpoint does not take."}
	}
	return nil
}

// decodeOnOrder reads the body of a reissue or a duplicate: its
// certificate object and its comments.
func decodeOnOrder(r *http.Request, kind string) (CertificateRequest, string, error) {
	if kind == kindDuplicate {
		var d DuplicateRequest
		err := decodeBody(r, &d)
		return d.Certificate, "", err
	}
	var re ReissueRequest
	err := decodeBody(r, &re)
	return re.Certificate, re.Comments, err
}

// planEnd is order_valid_till: today plus validity_years or order_validity.
func planEnd(req OrderRequest) (time.Time, error) {
	switch v := req.OrderValidity; {
	case req.ValidityYears > 0:
		return today().AddDate(req.ValidityYears, 0, 0), nil
	case v != nil && (v.Years > 0 || v.Days > 0):
		return today().AddDate(v.Years, 0, v.Days), nil
	default:
		// Modelled: DigiCert needs a validity, its exact code is not documented.
		return time.Time{}, &apiError{http.StatusBadRequest, "bad_request_format", "validity_years or order_validity is required."}
	}
}

// certValidity is the certificate's validity: the requested one, which
// must fit in the plan (which lasts to the end of its last day), or the
// longest the plan and the CA/Browser Forum allow.
func certValidity(v *Validity, validTill, now time.Time) (time.Duration, error) {
	remaining := validTill.AddDate(0, 0, 1).Sub(now)
	if v == nil || (v.Years == 0 && v.Days == 0) {
		return min(provider.MaxPublicValidity(now), remaining), nil
	}
	d := now.AddDate(v.Years, 0, v.Days).Sub(now)
	if d > remaining {
		return 0, &apiError{http.StatusBadRequest, "cert_validity_exceeds_order_validity", "The certificate validity exceeds the validity of the order."}
	}
	return d, nil
}

func isDV(product string) bool {
	return strings.HasPrefix(product, "ssl_dv_") || strings.HasPrefix(product, "wildcard_dv_") || strings.HasPrefix(product, "cloud_dv_")
}

// sameNames tells whether a duplicate asks for the names of the order's
// certificate.
func sameNames(cr CertificateRequest, c *cert) bool {
	want, got := names(c.commonName, c.dnsNames), names(cr.CommonName, cr.DNSNames)
	slices.Sort(want)
	slices.Sort(got)
	return cr.CommonName == c.commonName && slices.Equal(want, got)
}

func randomValue() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (o *order) dcvExpiry() string {
	return o.created.AddDate(0, 0, 30).UTC().Format(timeLayout)
}
