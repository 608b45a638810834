// Package fake is an in-memory DigiCert CertCentral (Services API v2) that
// speaks the wire contract written down in package digicert's doc over
// real HTTP, for provider tests, controller envtests, the e2e suite and
// `make demo`. Its answers are held to DigiCert's documented examples by
// the digicert package's corpus test.
//
//	srv, err := fake.New(fake.Options{APIKeys: []string{"key"}})
//	baseURL := srv.Start() // http://127.0.0.1:PORT/services/v2
//	defer srv.Close()
//
// It implements GET /user/me; POST /order/certificate/{product_name_id};
// GET /order/certificate (filters[common_name], filters[status], limit,
// offset); GET /order/certificate/{order_id}; POST and GET
// .../{order_id}/reissue and .../{order_id}/duplicate; PUT
// .../{order_id}/dcv-random-value; GET /request/{request_id}; and GET
// /certificate/{certificate_id}/download/format/{pem_all|pem_noroot|pem_nointermediate}
// (406 unless Accept names application/x-pem-file). Issued duplicates are
// listed "approved" with their certificate data, as the list-duplicates
// example shows. Request bodies with a field the endpoint's docs do not
// list are refused (modelled). Errors use CertCentral's
// {"errors":[{"code","message"}]} envelope: 401
// for a missing or unknown X-DC-DEVKEY, 404 not_found|route,
// not_found|product and not_found|order, 400 csr_invalid_cannot_parse and
// cert_validity_exceeds_order_validity, 429 request_limit_exceeded. Codes
// that DigiCert does not document (the 401 body, a missing organization, a
// duplicate whose names differ from the order's, a reissue of an order
// that is not issued) are modelled and named in the handlers.
//
// CSRs are signed for real by a fakeca.CA with the requested names, so
// chains verify with crypto/x509. SetBehavior scripts how new submissions
// are answered (immediately issued, pending for a number of polls, or
// rejected); Faults scripts transport faults (the handler is wrapped with
// it, so its PathPrefix includes "/services/v2"). Counts and Calls tell how
// many orders were bought and how many calls each route served, and
// RateLimited how many calls Options.RateLimits refused.
//
// Everything is held per Server and guarded by one mutex; there is no
// global state and nothing depends on package testing.
package fake

import (
	"errors"
	"maps"
	"net/http"
	"strings"
	"sync"

	"github.com/certorder/certorder/internal/provider/fakeca"
)

// Prefix is the path of the Services API v2 on the fake's host.
const Prefix = "/services/v2"

// Shape is how CertCentral answers a new submission (HTTP 201).
type Shape int

const (
	// Immediate issues at once: the answer carries certificate_chain.
	Immediate Shape = iota
	// CertificateID answers {id, certificate_id} (with the DCV random value
	// and, for dns-txt-token, the domains' tokens); issued after the polls.
	CertificateID
	// NeedsApproval answers {id, requests:[{id, status: pending}]}; the
	// request is approved and issued after the polls.
	NeedsApproval
)

// Behavior scripts the answer to new orders, reissues and duplicates.
type Behavior struct {
	Shape Shape
	// PendingPolls is how many polls see a submission still pending before
	// the next one settles it. A poll is any GET of its order, its request,
	// or its order's reissue or duplicate list.
	PendingPolls int
	// Reject, when set, makes submissions end rejected, with this text as
	// the approver's comment. A rejection is an approver's decision, so an
	// Immediate shape is answered as NeedsApproval.
	Reject string
	// Misissue, when set, certifies a fresh key instead of the CSR's, as a
	// mixed-up CA would: a client must notice.
	Misissue bool
}

// Options configure a Server.
type Options struct {
	// APIKeys accepted in X-DC-DEVKEY; empty accepts any non-empty key.
	APIKeys []string
	// Products that may be ordered; empty allows every product.
	Products []string
	// RequireOrganization makes OV and EV products (every product but the
	// DV ones: ssl_dv_*, wildcard_dv_*, cloud_dv_*) need organization.id.
	RequireOrganization bool
	// RateLimits, when set, limit the calls of each API key, all at once;
	// DocumentedRateLimits are CertCentral's.
	RateLimits []RateLimit
}

// Counts are the submissions accepted.
type Counts struct {
	Orders, Reissues, Duplicates int
}

// Server is a fake CertCentral.
type Server struct {
	*fakeca.Base
	opts Options

	mu          sync.Mutex
	behavior    Behavior
	orders      map[int64]*order
	certs       map[int64]*cert
	requests    map[int64]*cert
	lastID      int64
	counts      Counts
	calls       map[string]int
	callLogs    map[string]*callLog
	rateLimited int
	dcv         dcvGate
}

// New builds a server with a fresh CA. It serves nothing until Start, or
// through Handler.
func New(opts Options) (*Server, error) {
	base, err := fakeca.NewBase("DigiCert", Prefix)
	if err != nil {
		return nil, err
	}
	s := &Server{
		Base:     base,
		opts:     opts,
		orders:   map[int64]*order{},
		certs:    map[int64]*cert{},
		requests: map[int64]*cert{},
		lastID:   100000,
		calls:    map[string]int{},
		callLogs: map[string]*callLog{},
	}
	s.Serve(s.limit(s.authenticate(s.routes())))
	return s, nil
}

// SetBehavior scripts the answer to the submissions that follow.
func (s *Server) SetBehavior(b Behavior) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.behavior = b
}

// Counts returns the orders, reissues and duplicates accepted so far.
func (s *Server) Counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts
}

// Calls returns how many calls each route served, keyed by its template,
// such as "GET /order/certificate/{order_id}". Calls refused before
// routing (faults, rate limit, bad key) are not counted.
func (s *Server) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.calls)
}

// RateLimited returns how many calls Options.RateLimits answered with 429.
// A 429 scripted through Faults is not counted.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rateLimited
}

func (s *Server) nextID() int64 {
	s.lastID++
	return s.lastID
}

// routes serves the API below Prefix, counting calls by route template.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, h func(http.ResponseWriter, *http.Request) error) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			s.mu.Lock()
			s.calls[r.Pattern]++
			s.mu.Unlock()
			var apiErr *apiError
			switch err := h(w, r); {
			case errors.As(err, &apiErr):
				apiErr.write(w)
			case err != nil:
				writeError(w, http.StatusInternalServerError, "internal_error", err.Error())
			}
		})
	}
	handle("GET /user/me", s.userMe)
	handle("POST /order/certificate/{product_name_id}", s.createOrder)
	handle("GET /order/certificate", s.listOrders)
	handle("GET /order/certificate/{order_id}", s.orderInfo)
	handle("POST /order/certificate/{order_id}/reissue", s.submitOnOrder(kindReissue))
	handle("GET /order/certificate/{order_id}/reissue", s.listOnOrder(kindReissue))
	handle("POST /order/certificate/{order_id}/duplicate", s.submitOnOrder(kindDuplicate))
	handle("GET /order/certificate/{order_id}/duplicate", s.listOnOrder(kindDuplicate))
	handle("PUT /order/certificate/{order_id}/dcv-random-value", s.dcvRandomValue)
	handle("PUT /order/certificate/{order_id}/check-dcv", s.checkDCV)
	handle("GET /request/{request_id}", s.requestInfo)
	handle("GET /certificate/{certificate_id}/download/format/{format}", s.download)
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, "not_found|route", "The specified route was not found.")
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, Prefix)
		if !ok || !strings.HasPrefix(rest, "/") {
			writeError(w, http.StatusNotFound, "not_found|route", "The specified route was not found.")
			return
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path = rest
		r2.URL.RawPath = ""
		mux.ServeHTTP(w, r2)
	})
}
