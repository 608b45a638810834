package openprovider

import (
	"golang.org/x/time/rate"

	"github.com/certorder/certorder/internal/provider"
)

// Openprovider blocks an IP that makes more than 300 identical calls in 300
// seconds (50 in 100 s on the test environment), and the block is lifted
// only by hand. Polling one order is such an identical call. Every call of
// one credential therefore shares a bucket of DefaultRate calls a second
// with a burst of DefaultBurst: at most 125 calls in 300 s in all (and 45 in
// 100 s), so even if every call were the same, the limit is never neared.
const (
	DefaultRate  rate.Limit = 0.4
	DefaultBurst            = 5
)

// NewLimiters returns a per-credential limiter pool at the default pace.
func NewLimiters() *provider.Limiters { return provider.NewLimiters(DefaultRate, DefaultBurst) }
