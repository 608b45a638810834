package fake

import (
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// order is one SSL order: what the API shows, and how it will progress.
type order struct {
	view     orderView
	behavior Behavior
	polls    int
	// stale is what polls show, staleLeft more times, right after a reissue.
	stale     *orderView
	staleLeft int
}

func (s *Server) createOrder(w http.ResponseWriter, r *http.Request) {
	var in createRequest
	if !decode(w, r, &in) {
		return
	}
	if e := s.checkProduct(in); e != nil {
		e.write(w)
		return
	}
	cn, e := checkCertRequest(in.certRequest)
	if e == nil {
		e = s.checkNames(in.ProductID, in.certRequest, cn)
	}
	if e != nil {
		e.write(w)
		return
	}
	s.lastID++
	now := time.Now()
	o := &order{behavior: s.behavior, view: orderView{
		ID:                 s.lastID,
		ProductID:          in.ProductID,
		Status:             statusPaid,
		OrderDate:          formatDate(now),
		OrderEndsAt:        formatDate(now.AddDate(in.Period, 0, 0)),
		Period:             in.Period,
		Autorenew:          in.Autorenew,
		TechnicalHandle:    in.TechnicalHandle,
		OrganizationHandle: in.OrganizationHandle,
	}}
	o.apply(in.certRequest, cn)
	if in.StartProvision {
		o.request()
	}
	s.orders[o.view.ID] = o
	s.counts.Orders++
	writeData(w, idData{ID: o.view.ID})
}

func (s *Server) checkProduct(in createRequest) *apiError {
	switch {
	case in.ProductID <= 0:
		return invalid("product_id is required")
	case in.Period != 1 && in.Period != 2:
		return invalid("period must be 1 or 2")
	case in.Autorenew != "" && in.Autorenew != "on" && in.Autorenew != "off":
		return invalid("autorenew must be on or off")
	}
	return nil
}

// getOrder is a poll: it moves the order along its scripted lifecycle.
func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) {
	o, e := s.orderOf(r)
	if e != nil {
		e.write(w)
		return
	}
	writeData(w, s.poll(o))
}

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := intParam(q.Get("limit"), 100, 1000)
	offset := intParam(q.Get("offset"), 0, 1<<30)
	pattern := strings.ToLower(q.Get("common_name_pattern"))
	statuses := q["status"]
	ids := make([]int, 0, len(s.orders))
	for id, o := range s.orders {
		if !matchName(pattern, o.view.CommonName) {
			continue
		}
		if len(statuses) > 0 {
			s.advance(o)
		}
		if len(statuses) == 0 || slices.Contains(statuses, o.view.Status) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	list := orderList{Results: []orderView{}, Total: len(ids)}
	for _, id := range ids[min(offset, len(ids)):min(offset+limit, len(ids))] {
		list.Results = append(list.Results, s.orders[id].view)
	}
	writeData(w, list)
}

// matchName applies common_name_pattern: '*' is a wildcard, and otherwise
// the name must match exactly (Openprovider's exact semantics are not
// documented).
func matchName(pattern, name string) bool {
	if pattern == "" {
		return true
	}
	ok, err := path.Match(pattern, strings.ToLower(name))
	return err == nil && ok
}

func intParam(v string, def, max int) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return def
	}
	return min(n, max)
}

// orderOf finds the order of the {id} path parameter.
func (s *Server) orderOf(r *http.Request) (*order, *apiError) {
	id, err := strconv.Atoi(r.PathValue("id"))
	o, ok := s.orders[id]
	if err != nil || !ok {
		return nil, &apiError{status: http.StatusInternalServerError, code: codeNotFound, desc: "Order not found", data: r.PathValue("id")}
	}
	return o, nil
}
