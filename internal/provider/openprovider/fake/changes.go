package fake

import (
	"net/http"
	"time"
)

func wrongState(data string) *apiError {
	return &apiError{status: http.StatusInternalServerError, code: codeWrongState, desc: "Operation is not allowed in the order's status", data: data}
}

// target finds the order of the {id} path parameter and reads the body into
// in, whose id (bodyID, when set) must be the path's. It answers errors
// itself.
func (s *Server) target(w http.ResponseWriter, r *http.Request, in any, bodyID *int) (*order, bool) {
	o, e := s.orderOf(r)
	if e != nil {
		e.write(w)
		return nil, false
	}
	if !decode(w, r, in) {
		return nil, false
	}
	if *bodyID != 0 && *bodyID != o.view.ID {
		invalid("id does not match the path").write(w)
		return nil, false
	}
	return o, true
}

// reissue takes an ACT order back to REQ with a new CSR. For StalePolls
// polls it still shows the previous certificate and CSR.
func (s *Server) reissue(w http.ResponseWriter, r *http.Request) {
	var in reissueRequest
	o, ok := s.target(w, r, &in, &in.ID)
	if !ok {
		return
	}
	cn, e := checkCertRequest(in.certRequest)
	if e == nil {
		e = s.checkNames(o.view.ProductID, in.certRequest, cn)
	}
	if o.view.Status != statusActive {
		e = wrongState("only an active order can be reissued")
	}
	if e != nil {
		e.write(w)
		return
	}
	prev := o.view
	o.stale, o.staleLeft = &prev, s.behavior.StalePolls
	o.behavior = s.behavior
	o.apply(in.certRequest, cn)
	o.request()
	s.counts.Reissues++
	writeData(w, idData{ID: o.view.ID})
}

// renew extends an ACT order within 30 days of its end by its period; the
// order keeps its id and certificate.
func (s *Server) renew(w http.ResponseWriter, r *http.Request) {
	var in idData
	o, ok := s.target(w, r, &in, &in.ID)
	if !ok {
		return
	}
	end := parseDate(o.view.OrderEndsAt)
	if o.view.Status != statusActive || time.Until(end) > 30*24*time.Hour {
		wrongState("only an active order within 30 days of its end can be renewed").write(w)
		return
	}
	newEnd := formatDate(end.AddDate(max(o.view.Period, 1), 0, 0))
	s.counts.Renewals++
	switch s.behavior.Renew {
	case RenewNewOrder:
		s.lastID++
		n := &order{behavior: s.behavior, view: o.view}
		n.view.ID, n.view.OrderDate, n.view.OrderEndsAt = s.lastID, formatDate(time.Now()), newEnd
		s.orders[n.view.ID] = n
		writeData(w, idData{ID: n.view.ID})
		return
	case RenewToREQ:
		o.behavior = s.behavior
		o.request()
	}
	o.view.OrderEndsAt = newEnd
	writeData(w, idData{ID: o.view.ID})
}

// updateOrder starts provisioning a PAI order when start_provision is true;
// the fake ignores the update's other fields.
func (s *Server) updateOrder(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ID             int   `json:"id"`
		StartProvision *bool `json:"start_provision"`
	}
	o, ok := s.target(w, r, &in, &in.ID)
	if !ok {
		return
	}
	if in.StartProvision != nil && *in.StartProvision && o.view.Status == statusPaid && !s.behavior.Unprovisionable {
		o.behavior = s.behavior
		o.request()
		s.counts.Provisions++
	}
	writeData(w, idData{ID: o.view.ID})
}
