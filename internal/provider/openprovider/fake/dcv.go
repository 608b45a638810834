package fake

import "github.com/certorder/certorder/internal/dnstest"

// SetDNSServer makes orders validated by DNS wait for their records: an
// order stays REQ, however many polls pass, until every additional_data
// entry with a dns_record is found, as a TXT record holding its dns_value,
// on the DNS server at addr (host:port). The CA looks on every poll, as
// Openprovider documents no call to ask for a re-check.
func (s *Server) SetDNSServer(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dnsServer = addr
}

// awaitsDNS reports whether o's DNS records are still missing. Callers
// hold s.mu.
func (s *Server) awaitsDNS(o *order) bool {
	if s.dnsServer == "" {
		return false
	}
	for _, d := range o.view.AdditionalData {
		if d.DNSRecord != "" && !dnstest.HasTXT(s.dnsServer, d.DNSRecord, d.DNSValue) {
			return true
		}
	}
	return false
}
