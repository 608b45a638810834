package provider

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// deferrals spreads the retries of the calls one limiter defers. A
// deferred call gives its token back, so the calls deferred at about the
// same moment all see the same delay; told only that, they would all come
// back at the same instant, the first few would take the tokens, and the
// rest be deferred again, each time costing its request a reconcile and
// API writes. Each deferred call is told instead to come back one token
// after the call deferred before it, so they come back as the tokens do.
type deferrals struct {
	mu sync.Mutex
	// last is the latest instant a deferred call was told to come back.
	last time.Time
}

// retryAfter is when a call deferred at now, whose token the limiter would
// give after delay, comes back: not before its token, and one token's
// interval (every) after the call deferred before it.
func (d *deferrals) retryAfter(now time.Time, delay, every time.Duration) time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	at := now.Add(delay)
	if turn := d.last.Add(every); turn.After(at) {
		at = turn
	}
	d.last = at
	return at.Sub(now)
}

// tokenInterval is the time between two tokens of lim; zero for a limit
// that is infinite or zero.
func tokenInterval(lim *rate.Limiter) time.Duration {
	l := lim.Limit()
	if l == rate.Inf || l <= 0 {
		return 0
	}
	return time.Duration(float64(time.Second) / float64(l))
}
