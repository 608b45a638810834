package fake

import (
	"net/http"
	"strconv"
	"strings"
)

// userMe is GET /user/me.
func (s *Server) userMe(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]any{
		"id": 1, "username": "certorder-fake", "first_name": "Fake", "last_name": "CertCentral",
		"email": "fake@certcentral.invalid", "status": "active", "container": IDRef{ID: 1},
	})
	return nil
}

// orderInfo is GET /order/certificate/{order_id}; it counts as a poll.
func (s *Server) orderInfo(w http.ResponseWriter, r *http.Request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.polledOrder(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o.json())
	return nil
}

// listOrders is GET /order/certificate with filters[common_name],
// filters[status], limit and offset; other filters are ignored.
func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit := queryInt(q.Get("limit"), 1000, 1000)
	offset := queryInt(q.Get("offset"), 0, 1<<31)
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []orderSummaryJSON
	for _, v := range s.sortedOrders() {
		j := v.json()
		if cn := q.Get("filters[common_name]"); cn != "" && !strings.EqualFold(cn, j.Certificate.CommonName) {
			continue
		}
		if st := q.Get("filters[status]"); st != "" && st != j.Status {
			continue
		}
		all = append(all, j.summary())
	}
	out := all[min(offset, len(all)):min(offset+limit, len(all))]
	writeJSON(w, http.StatusOK, map[string]any{
		"orders": out,
		"page":   pageJSON{Total: len(all), Limit: limit, Offset: offset},
	})
	return nil
}

// listOnOrder is GET .../{order_id}/reissue and .../duplicate; it counts
// as a poll. Entries carry their CSR.
func (s *Server) listOnOrder(kind string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		o, err := s.polledOrder(r)
		if err != nil {
			return err
		}
		list := o.reissues
		if kind == kindDuplicate {
			list = o.duplicates
		}
		certs := []certificateJSON{}
		for _, c := range list {
			j := c.json()
			j.Status, j.DateIssued = c.listStatus(), ""
			certs = append(certs, j)
		}
		writeJSON(w, http.StatusOK, map[string]any{"certificates": certs})
		return nil
	}
}

// dcvRandomValue is PUT .../{order_id}/dcv-random-value.
func (s *Server) dcvRandomValue(w http.ResponseWriter, r *http.Request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.pathOrder(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"dcv_random_value": o.dcvRandomValue, "expiration_date": o.dcvExpiry()})
	return nil
}

// requestInfo is GET /request/{request_id}; it counts as a poll of its
// order.
func (s *Server) requestInfo(w http.ResponseWriter, r *http.Request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.requests[pathInt(r, "request_id")]
	if c == nil {
		return &apiError{http.StatusNotFound, "not_found", "The request was not found."}
	}
	o := s.orders[c.orderID]
	if err := s.poll(o); err != nil {
		return err
	}
	info := requestInfoJSON{
		requestJSON: requestJSON{ID: c.requestID, Date: c.created.UTC().Format(timeLayout), Type: c.kind, Status: c.requestStatus()},
		Comments:    c.comments,
		Order:       o.json(),
	}
	if !c.processed.IsZero() {
		info.DateProcessed = c.processed.UTC().Format(timeLayout)
	}
	if c.status == statusRejected {
		info.ProcessorComment = c.reject
	}
	writeJSON(w, http.StatusOK, info)
	return nil
}

// download is GET /certificate/{certificate_id}/download/format/{format}:
// PEM with CRLF line ends, served as application/x-pem-file (the glossary
// of certificate formats). It answers 406 to a client that does not accept
// that type (modelled: the code is not documented).
func (s *Server) download(w http.ResponseWriter, r *http.Request) error {
	if !acceptsPEM(r.Header.Get("Accept")) {
		return &apiError{http.StatusNotAcceptable, "not_acceptable", "The download is served as " + pemType + "."}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.certs[pathInt(r, "certificate_id")]
	if c == nil || c.status != statusIssued {
		return &apiError{http.StatusNotFound, "not_found|certificate", "The certificate was not found or is not issued."}
	}
	var parts []string
	switch r.PathValue("format") {
	case "pem_all":
		parts = s.chainPEM(c, true, true)
	case "pem_noroot":
		parts = s.chainPEM(c, true, false)
	case "pem_nointermediate":
		parts = s.chainPEM(c, false, false)
	default:
		// Modelled: the fake serves the PEM formats only.
		return &apiError{http.StatusBadRequest, "invalid_format", "The format is not supported."}
	}
	w.Header().Set("Content-Type", pemType)
	_, _ = w.Write([]byte(strings.Join(parts, "")))
	return nil
}

const pemType = "application/x-pem-file"

// acceptsPEM tells whether an Accept header names the PEM type.
func acceptsPEM(accept string) bool {
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, _ := strings.Cut(part, ";")
		if strings.EqualFold(strings.TrimSpace(mediaType), pemType) {
			return true
		}
	}
	return false
}

// pathOrder is the order named by {order_id}. Callers hold s.mu.
func (s *Server) pathOrder(r *http.Request) (*order, error) {
	o := s.orders[pathInt(r, "order_id")]
	if o == nil {
		return nil, &apiError{http.StatusNotFound, "not_found|order", "The order was not found."}
	}
	return o, nil
}

// polledOrder is pathOrder, counted as a poll. Callers hold s.mu.
func (s *Server) polledOrder(r *http.Request) (*order, error) {
	o, err := s.pathOrder(r)
	if err != nil {
		return nil, err
	}
	return o, s.poll(o)
}

func pathInt(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.PathValue(name), 10, 64)
	return n
}

func queryInt(v string, def, maximum int) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return def
	}
	return min(n, maximum)
}
