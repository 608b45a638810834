package fake

import (
	"net/http"
	"slices"
	"strings"

	"github.com/certorder/certorder/internal/dnstest"
)

// dcvGate keeps dns-txt-token orders pending until check-dcv finds their
// random value in DNS. It is off until SetDNSServer: orders then settle by
// polls alone, as before.
type dcvGate struct {
	// server is the DNS server (host:port) check-dcv resolves through.
	server string
	// validated holds, per order, the names whose TXT record was found.
	validated map[int64]map[string]bool
}

// DNSRecordName is where the fake looks for an order's random value: a TXT
// record at _dnsauth.<domain>. DigiCert also accepts the domain itself; the
// fake accepts only the prefixed name, so a client publishing anywhere
// else fails its test.
func DNSRecordName(domain string) string {
	return "_dnsauth." + strings.TrimPrefix(domain, "*.") + "."
}

// SetDNSServer makes dns-txt-token orders wait for DNS validation: their
// first certificate stays pending until PUT .../check-dcv, resolving TXT
// records through addr, finds the order's random value at DNSRecordName
// of every name of the order.
func (s *Server) SetDNSServer(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dcv.server = addr
	s.dcv.validated = map[int64]map[string]bool{}
}

// awaitsDCV reports whether c cannot settle yet because its order's DNS
// validation is not done. Callers hold s.mu.
func (s *Server) awaitsDCV(o *order, c *cert) bool {
	if s.dcv.server == "" || o.dcvMethod != "dns-txt-token" || c != o.first {
		return false
	}
	for _, n := range dcvDomains(o) {
		if !s.dcv.validated[o.id][n] {
			return true
		}
	}
	return false
}

// dcvDomains are the names DigiCert validates for the order: its names
// with any wildcard label dropped, once each.
func dcvDomains(o *order) []string {
	var out []string
	for _, n := range names(o.first.commonName, o.first.dnsNames) {
		n = strings.ToLower(strings.TrimPrefix(n, "*."))
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

type dnsNameValidation struct {
	DNSName string `json:"dns_name"`
	Status  string `json:"status"`
}

// checkDCV is PUT .../{order_id}/check-dcv. It answers per domain as the
// "Check order DCV" page documents; when no record is found at all it
// answers 400 invalid_dns_txt, as the older page of the endpoint shows.
func (s *Server) checkDCV(w http.ResponseWriter, r *http.Request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.pathOrder(r)
	if err != nil {
		return err
	}
	if st := o.status(); !isTokenMethod(o.dcvMethod) || (st != statusPending && st != "reissue_pending") {
		return &apiError{http.StatusBadRequest, "invalid_dcv_method", "The order is not pending token-based domain control validation."}
	}
	if s.dcv.validated[o.id] == nil {
		s.dcv.validated[o.id] = map[string]bool{}
	}
	var list []dnsNameValidation
	found := 0
	for _, n := range dcvDomains(o) {
		if s.dcv.validated[o.id][n] || dnstest.HasTXT(s.dcv.server, DNSRecordName(n), o.dcvRandomValue) {
			s.dcv.validated[o.id][n] = true
			found++
			list = append(list, dnsNameValidation{n, "approved"})
			continue
		}
		list = append(list, dnsNameValidation{n, statusPending})
	}
	if found == 0 {
		return &apiError{http.StatusBadRequest, "invalid_dns_txt", "Could not find a valid TXT record for one or more domains."}
	}
	if err := s.poll(o); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"order_status": o.status(), "certificate_id": o.first.id, "dcv_status": dcvStatus(found, len(list)),
		"dns_name_validations": list,
	})
	return nil
}

func isTokenMethod(m string) bool {
	return m == "dns-txt-token" || m == "dns-cname-token" || m == "http-token"
}

func dcvStatus(found, total int) string {
	if found == total {
		return "valid"
	}
	return statusPending
}
