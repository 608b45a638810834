package fake

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
)

var errBadCredentials = &apiError{status: http.StatusInternalServerError, code: codeBadCredentials, desc: "Authentication/Authorization Failed"}

// login answers a bad login as Openprovider was seen to: HTTP 500, code 196.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
		IP       string `json:"ip"`
	}
	if !decode(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.Logins++
	if s.opts.FailedLoginLimit > 0 && s.counts.FailedLogins >= s.opts.FailedLoginLimit {
		(&apiError{status: http.StatusForbidden, code: codeCallsLimit, desc: "Calls limit has been reached"}).write(w)
		return
	}
	if pw, ok := s.opts.Users[in.Username]; !ok || in.Password == "" || pw != in.Password {
		s.counts.FailedLogins++
		errBadCredentials.write(w)
		return
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	tok := hex.EncodeToString(b)
	s.tokens[tok] = time.Now().Add(s.opts.TokenTTL)
	writeData(w, map[string]any{"token": tok, "reseller_id": 100001})
}

// authorized checks the bearer token; the caller holds s.mu.
func (s *Server) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	exp, known := s.tokens[tok]
	return ok && known && time.Now().Before(exp)
}
