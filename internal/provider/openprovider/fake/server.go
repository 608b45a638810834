// Package fake is an in-memory Openprovider REST API (v1beta, SSL) served
// over real HTTP, for the client's tests, the controllers' envtests, the e2e
// suite and `make demo`. It speaks the envelope, error codes and order
// lifecycle that the openprovider package documents (its doc.go cites the
// sources); where Openprovider's docs are silent, the fake's behaviour is
// marked "modelled":
//
//   - POST /auth/login trades Options.Users for a bearer token that expires
//     after Options.TokenTTL (or at ExpireTokens). A bad login answers
//     HTTP 500 with code 196, as observed of Openprovider.
//   - POST /ssl/orders places an order in REQ, or in PAI when start_provision
//     is not true; PAI orders never progress, so a client that forgets the
//     flag shows. GET /ssl/orders/{id} moves a REQ order to ACT (or REJ, FAI)
//     after Behavior.PendingPolls polls, signing the CSR for real with CA().
//   - POST /ssl/orders/{id}/reissue takes an ACT order back to REQ with the
//     new CSR, then ACT with a new certificate; for Behavior.StalePolls polls
//     it still shows the previous certificate and CSR, as Openprovider does.
//   - POST /ssl/orders/{id}/renew extends an ACT order within 30 days of its
//     end by its period; Behavior.Renew picks what else it does (modelled:
//     the docs leave its effect open).
//   - PUT /ssl/orders/{id} with start_provision sends a PAI order to the CA.
//   - GET /ssl/products/{id} answers a product with Options.ProductDomains
//     included names (modelled).
//   - Errors answer HTTP 500 with a code, as Openprovider does.
//   - GET /ssl/orders lists orders, filtered by common_name_pattern ('*' is
//     a wildcard) and status (repeatable: any of the statuses, as the
//     swagger's array parameter), paginated by limit and offset. A listing
//     filtered by status counts as a poll of every REQ order whose name it
//     matches (modelled).
//
// SetMaintenance, Options.IdenticalCallLimit (code 10005, until Unblock) and
// Options.FailedLoginLimit (code 50) model Openprovider's alarms; Faults()
// scripts transport faults around everything. Counts and Calls let tests
// assert how often Openprovider was asked. A Server is safe for concurrent
// use and holds no global state.
package fake

import (
	"strconv"
	"sync"
	"time"

	"github.com/certorder/certorder/internal/provider/fakeca"
)

// prefix is the API version path, part of the base URL Start returns.
const prefix = "/v1beta"

// Options configure a Server.
type Options struct {
	// Users maps usernames to passwords.
	Users map[string]string
	// TokenTTL is how long a token is accepted; default 48h, as Openprovider.
	TokenTTL time.Duration
	// Products, when set, are the only product ids that can be ordered.
	Products []int64
	// ProductDomains is how many names each product's price includes; 1
	// makes a single-domain product, which takes no host_names. A product
	// not listed is a multi-domain product including DefaultProductDomains
	// names (modelled: a choice of the fake, not Openprovider's).
	ProductDomains map[int64]int
	// IdenticalCallLimit, when positive, blocks the caller with code 10005
	// once it makes more identical calls than this within
	// IdenticalCallWindow (default 300 s). The block lasts until Unblock.
	IdenticalCallLimit  int
	IdenticalCallWindow time.Duration
	// FailedLoginLimit, when positive, answers code 50 to every login after
	// this many failed ones.
	FailedLoginLimit int
}

// Behavior scripts how orders placed or reissued from now on progress.
type Behavior struct {
	// PendingPolls is how many polls answer REQ before the order settles.
	PendingPolls int
	// StalePolls is how many polls right after a reissue still show the
	// previous certificate and CSR.
	StalePolls int
	// Reject, when set, ends orders in REJ with this reason.
	Reject string
	// Fail, when set, ends orders in FAI with this reason.
	Fail string
	// Renew is what a renew does to the order. The docs do not say, so
	// the fake models each plausible answer.
	Renew RenewMode
	// Unprovisionable orders stay PAI when asked to start provisioning
	// (modelled: an account without funds).
	Unprovisionable bool
}

// RenewMode is one modelled effect of POST /ssl/orders/{id}/renew.
type RenewMode int

const (
	// RenewKeepsID moves the order's end by its period; the order keeps
	// its id, status and certificate.
	RenewKeepsID RenewMode = iota
	// RenewNewOrder answers with a new, active order carrying the old CSR
	// and certificate; the old order is left as it was.
	RenewNewOrder
	// RenewToREQ takes the order back to REQ, as for a new certificate of
	// the old CSR, and moves its end.
	RenewToREQ
)

// DefaultProductDomains is how many names a product not in
// Options.ProductDomains includes.
const DefaultProductDomains = 100

// Counts are the calls that changed something, and the logins.
type Counts struct {
	Orders     int
	Reissues   int
	Renewals   int
	Provisions int
	// ExtraNames counts names billed on top of their products' included
	// names.
	ExtraNames   int
	Logins       int
	FailedLogins int
}

// Server is a fake Openprovider.
type Server struct {
	*fakeca.Base
	opts Options

	mu          sync.Mutex
	behavior    Behavior
	maintenance bool
	blocked     bool
	recent      map[string][]time.Time
	tokens      map[string]time.Time
	orders      map[int]*order
	lastID      int
	counts      Counts
	calls       map[string]int
	dnsServer   string
}

// New returns a Server with a fresh CA; Start serves it.
func New(opts Options) (*Server, error) {
	base, err := fakeca.NewBase("Openprovider", prefix)
	if err != nil {
		return nil, err
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = 48 * time.Hour
	}
	if opts.IdenticalCallWindow <= 0 {
		opts.IdenticalCallWindow = 300 * time.Second
	}
	s := &Server{
		Base:   base,
		opts:   opts,
		recent: map[string][]time.Time{},
		tokens: map[string]time.Time{},
		orders: map[int]*order{},
		lastID: 100000,
		calls:  map[string]int{},
	}
	s.Serve(s.guard(s.routes()))
	return s, nil
}

// SetBehavior scripts orders placed or reissued from now on.
func (s *Server) SetBehavior(b Behavior) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.behavior = b
}

// SetMaintenance makes every call answer with the maintenance flag.
func (s *Server) SetMaintenance(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maintenance = on
}

// Unblock lifts an identical-call block, as Openprovider support would.
func (s *Server) Unblock() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked = false
	s.recent = map[string][]time.Time{}
}

// Counts returns the counters.
func (s *Server) Counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts
}

// Calls returns how often each route was served, keyed by route template
// such as "GET /ssl/orders/{id}".
func (s *Server) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.calls))
	for k, v := range s.calls {
		out[k] = v
	}
	return out
}

// ExpireTokens makes every token issued so far invalid.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
}

// ExpireOrder moves an order to EXP.
func (s *Server) ExpireOrder(id string) error {
	return s.withOrder(id, func(o *order) { o.view.Status = statusExpired })
}

// SetOrderEndsAt moves the end of an order, such as into the renewal window.
func (s *Server) SetOrderEndsAt(id string, t time.Time) error {
	return s.withOrder(id, func(o *order) { o.view.OrderEndsAt = formatDate(t) })
}

// OrderStatus returns an order's status (PAI, REQ, ACT, REJ, FAI, EXP), or
// "" for an unknown order. It does not count as a poll.
func (s *Server) OrderStatus(id string) string {
	var status string
	_ = s.withOrder(id, func(o *order) { status = o.view.Status })
	return status
}

func (s *Server) withOrder(id string, f func(*order)) error {
	n, err := strconv.Atoi(id)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[n]
	if !ok {
		return errNoOrder
	}
	f(o)
	return nil
}
