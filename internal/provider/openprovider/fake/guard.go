package fake

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"time"
)

var errIPBlocked = &apiError{status: http.StatusForbidden, code: codeIPBlocked, desc: "Access denied", data: "IP address is blacklisted"}

// routes registers every endpoint; handlers run with s.mu held.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+prefix+"/auth/login", s.count("POST /auth/login", s.login))
	s.authed(mux, "POST /ssl/orders", s.createOrder)
	s.authed(mux, "GET /ssl/orders", s.listOrders)
	s.authed(mux, "GET /ssl/orders/{id}", s.getOrder)
	s.authed(mux, "POST /ssl/orders/{id}/reissue", s.reissue)
	s.authed(mux, "POST /ssl/orders/{id}/renew", s.renew)
	s.authed(mux, "PUT /ssl/orders/{id}", s.updateOrder)
	s.authed(mux, "GET /ssl/products/{id}", s.getProduct)
	return mux
}

func (s *Server) count(route string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.calls[route]++
		s.mu.Unlock()
		h(w, r)
	}
}

// authed registers a route that needs a valid token. An expired or unknown
// token answers HTTP 401 with code 196 (Openprovider's exact answer is not
// documented).
func (s *Server) authed(mux *http.ServeMux, route string, h func(http.ResponseWriter, *http.Request)) {
	method, path, _ := strings.Cut(route, " ")
	mux.HandleFunc(method+" "+prefix+path, s.count(route, func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if !s.authorized(r) {
			(&apiError{status: http.StatusUnauthorized, code: codeBadCredentials, desc: "Authentication/Authorization Failed"}).write(w)
			return
		}
		h(w, r)
	}))
}

// guard answers for maintenance and IP blocks before any endpoint. The
// maintenance answer is HTTP 200 with code 0: only the flag tells, as HTTP
// statuses of Openprovider cannot be relied on.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.mu.Lock()
		maintenance := s.maintenance
		blocked := s.blockIdentical(r, body)
		s.mu.Unlock()
		switch {
		case maintenance:
			writeJSON(w, http.StatusOK, envelope{Desc: "The API is in maintenance", Maintenance: true})
		case blocked:
			errIPBlocked.write(w)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// blockIdentical counts the call and tells whether the IP is blocked; the
// caller holds s.mu.
func (s *Server) blockIdentical(r *http.Request, body []byte) bool {
	if s.opts.IdenticalCallLimit <= 0 || s.blocked {
		return s.blocked
	}
	sum := sha256.Sum256(body)
	key := r.Method + " " + r.URL.RequestURI() + " " + hex.EncodeToString(sum[:])
	now := time.Now()
	kept := s.recent[key][:0]
	for _, t := range s.recent[key] {
		if now.Sub(t) < s.opts.IdenticalCallWindow {
			kept = append(kept, t)
		}
	}
	s.recent[key] = append(kept, now)
	s.blocked = len(s.recent[key]) > s.opts.IdenticalCallLimit
	return s.blocked
}
