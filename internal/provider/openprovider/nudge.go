package openprovider

import (
	"sync"
	"time"
)

// nudgeEvery is how seldom certorder repeats a call that moves an order on
// by itself (a provisioning start, a renewal's reissue): at most once an
// hour per order, however often it is polled.
const nudgeEvery = time.Hour

// nudges remembers when each order was last moved on. It lives in the
// credential's session, so that every client of the credential (one per
// reconcile) shares it.
type nudges struct {
	mu   sync.Mutex
	last map[string]time.Time
}

// due tells whether key may be acted on now, and if so records that it is.
// Entries older than nudgeEvery are forgotten.
func (n *nudges) due(key string, now time.Time) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	for k, t := range n.last {
		if now.Sub(t) >= nudgeEvery {
			delete(n.last, k)
		}
	}
	if _, recent := n.last[key]; recent {
		return false
	}
	if n.last == nil {
		n.last = map[string]time.Time{}
	}
	n.last[key] = now
	return true
}

// forget drops key, so that the next poll acts on it again.
func (n *nudges) forget(key string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	delete(n.last, key)
}
