package provider

import (
	"sync"
	"time"
)

// PoolIdle is how long a Pool keeps a value nobody asked for: far longer
// than an issuer's recheck interval (10 minutes by default), so the
// values of a live issuer stay, while those of a rotated or deleted
// credential go.
const PoolIdle = time.Hour

// Pool holds one value per key, such as the HTTP client, rate limiter or
// login session of a credential, and forgets those not asked for in its
// idle time (looked for at most every half of it, so a value may last 1.5
// times as long), so that rotated credentials do not pile up. Keys are
// digests (Fingerprint), never credentials. Safe for concurrent use.
type Pool[V any] struct {
	idle time.Duration
	now  func() time.Time

	mu      sync.Mutex
	entries map[string]*pooled[V]
	swept   time.Time
}

type pooled[V any] struct {
	value V
	used  time.Time
}

// NewPool returns an empty pool that forgets values unused for idle, by
// the clock now (time.Now when nil).
func NewPool[V any](idle time.Duration, now func() time.Time) *Pool[V] {
	if now == nil {
		now = time.Now
	}
	return &Pool[V]{idle: idle, now: now, entries: map[string]*pooled[V]{}}
}

// Get returns the value of key, building it on first use or after it was
// forgotten. A failed build is not kept.
func (p *Pool[V]) Get(key string, build func() (V, error)) (V, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	p.sweep(now)
	if e, ok := p.entries[key]; ok {
		e.used = now
		return e.value, nil
	}
	v, err := build()
	if err != nil {
		return v, err
	}
	p.entries[key] = &pooled[V]{value: v, used: now}
	return v, nil
}

// Len is how many values the pool holds.
func (p *Pool[V]) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.entries)
}

// sweep forgets the values unused for longer than idle. It walks the pool
// at most twice per idle period, so a Get stays cheap.
func (p *Pool[V]) sweep(now time.Time) {
	if now.Sub(p.swept) < p.idle/2 {
		return
	}
	p.swept = now
	for key, e := range p.entries {
		if now.Sub(e.used) > p.idle {
			delete(p.entries, key)
		}
	}
}
