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

// limit applies Options.RateLimit over fixed windows.
func (s *Server) limit(next http.Handler) http.Handler {
	rl := s.opts.RateLimit
	if rl == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if wait, ok := s.admit(rl); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
			writeError(w, http.StatusTooManyRequests, "request_limit_exceeded", "Service unavailable, please limit request volume.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) admit(rl *RateLimit) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if now.Sub(s.windowStart) >= rl.Window {
		s.windowStart, s.windowCalls = now, 0
	}
	s.windowCalls++
	admitted := s.windowCalls <= rl.Requests
	if !admitted {
		s.rateLimited++
	}
	return s.windowStart.Add(rl.Window).Sub(now), admitted
}
