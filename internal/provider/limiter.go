package provider

import "golang.org/x/time/rate"

// Limiters hands out one token-bucket limiter per credential, shared by
// every issuer that uses the same credential: the CA counts requests per
// API key or account, not per issuer. A limiter unused for PoolIdle is
// forgotten; it had long refilled, so a new one behaves the same.
type Limiters struct {
	limit rate.Limit
	burst int
	pool  *Pool[*Limiter]
}

// NewLimiters returns a pool whose limiters allow limit requests per second
// with the given burst.
func NewLimiters(limit rate.Limit, burst int) *Limiters {
	return &Limiters{limit: limit, burst: burst, pool: NewPool[*Limiter](PoolIdle, nil)}
}

// For returns the limiter of a credential, creating it on first use. Ask
// for it on every use of the credential, not once: that is what keeps it
// from being forgotten while it is in use.
func (l *Limiters) For(credential []byte) *Limiter {
	lim, _ := l.pool.Get(Fingerprint(credential), func() (*Limiter, error) {
		return NewLimiter(l.limit, l.burst), nil
	})
	return lim
}

// Limiter is one credential's token bucket, with the record of the calls
// it deferred (deferrals), which spreads their retries.
type Limiter struct {
	*rate.Limiter
	deferred deferrals
}

// NewLimiter returns a limiter of limit requests per second with the
// given burst.
func NewLimiter(limit rate.Limit, burst int) *Limiter {
	return &Limiter{Limiter: rate.NewLimiter(limit, burst)}
}
