package fake

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// OrderView is what the fake holds for an order, for assertions.
type OrderView struct {
	ID      int64
	Status  string
	Product string
	// CommonName, DNSNames and CSR are those of the order's current
	// certificate (the last issued reissue, or the original).
	CommonName    string
	DNSNames      []string
	CSR           string
	CertificateID int64
	// ValidTill is order_valid_till, the end of the plan.
	ValidTill  time.Time
	Reissues   int
	Duplicates int
	// Request is the body of the order as received.
	Request OrderRequest
}

// Order returns the fake's view of an order.
func (s *Server) Order(id int64) (OrderView, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return OrderView{}, false
	}
	return o.view(), true
}

// Orders returns every order, oldest first.
func (s *Server) Orders() []OrderView {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []OrderView
	for _, o := range s.sortedOrders() {
		out = append(out, o.view())
	}
	return out
}

// sortedOrders are the orders, oldest first. Callers hold s.mu.
func (s *Server) sortedOrders() []*order {
	var out []*order
	for _, id := range slices.Sorted(maps.Keys(s.orders)) {
		out = append(out, s.orders[id])
	}
	return out
}

// ExpireOrder ends an order's plan yesterday: its status becomes expired,
// as for a renewal that is due.
func (s *Server) ExpireOrder(id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return fmt.Errorf("no order %d", id)
	}
	o.expired = true
	o.validTill = today().AddDate(0, 0, -1)
	return nil
}

func (o *order) view() OrderView {
	return OrderView{
		ID:            o.id,
		Status:        o.status(),
		Product:       o.product,
		CommonName:    o.current.commonName,
		DNSNames:      names(o.current.commonName, o.current.dnsNames),
		CSR:           o.current.csrPEM,
		CertificateID: o.current.id,
		ValidTill:     o.validTill,
		Reissues:      len(o.reissues),
		Duplicates:    len(o.duplicates),
		Request:       o.request,
	}
}

// today is the start of the current day in UTC: CertCentral's plan ends are
// dates.
func today() time.Time {
	return time.Now().UTC().Truncate(24 * time.Hour)
}
