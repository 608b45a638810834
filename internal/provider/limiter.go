package provider

import (
	"sync"

	"golang.org/x/time/rate"
)

// Limiters hands out one token-bucket limiter per credential, shared by
// every issuer that uses the same credential: the CA counts requests per
// API key or account, not per issuer.
type Limiters struct {
	limit rate.Limit
	burst int

	mu sync.Mutex
	// by is keyed by a digest of the credential, never the credential.
	by map[string]*rate.Limiter
}

// NewLimiters returns a pool whose limiters allow limit requests per second
// with the given burst.
func NewLimiters(limit rate.Limit, burst int) *Limiters {
	return &Limiters{limit: limit, burst: burst, by: map[string]*rate.Limiter{}}
}

// For returns the limiter of a credential, creating it on first use.
func (l *Limiters) For(credential []byte) *rate.Limiter {
	key := Fingerprint(credential)
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.by[key]
	if !ok {
		lim = rate.NewLimiter(l.limit, l.burst)
		l.by[key] = lim
	}
	return lim
}
