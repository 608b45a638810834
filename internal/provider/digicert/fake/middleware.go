package fake

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"time"
)

// authenticate checks X-DC-DEVKEY. The body of DigiCert's 401 is not
// documented; this one is modelled on its 403s.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.knownKey(r.Header.Get("X-DC-DEVKEY")) {
			writeError(w, http.StatusUnauthorized, "access_denied|invalid_api_key", "The API key is missing or not valid.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) knownKey(key string) bool {
	if key == "" {
		return false
	}
	if len(s.opts.APIKeys) == 0 {
		return true
	}
	for _, k := range s.opts.APIKeys {
		if subtle.ConstantTimeCompare([]byte(k), []byte(key)) == 1 {
			return true
		}
	}
	return false
}

// limit applies Options.RateLimits to the calls of each API key.
func (s *Server) limit(next http.Handler) http.Handler {
	limits := s.opts.RateLimits
	if len(limits) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if wait, ok := s.admit(limits, r.Header.Get("X-DC-DEVKEY")); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
			writeError(w, http.StatusTooManyRequests, "request_limit_exceeded", "Service unavailable, please limit request volume.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) admit(limits []RateLimit, apiKey string) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.callLogs[apiKey]
	if l == nil {
		l = &callLog{}
		s.callLogs[apiKey] = l
	}
	wait, ok := l.admit(limits, time.Now())
	if !ok {
		s.rateLimited++
	}
	return wait, ok
}
