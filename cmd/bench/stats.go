package main

import (
	"math"
	"slices"
	"time"
)

// latencies summarises create-to-Ready latencies.
type latencies struct {
	P50, P95, P99, Max time.Duration
}

// summarize returns the percentiles of ds, which it sorts in place.
func summarize(ds []time.Duration) latencies {
	slices.Sort(ds)
	return latencies{P50: percentile(ds, 50), P95: percentile(ds, 95), P99: percentile(ds, 99), Max: percentile(ds, 100)}
}

// percentile is the nearest-rank p-th percentile (0 < p <= 100) of sorted:
// the smallest value that at least p percent of the values do not exceed.
// It is 0 for no values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// perSecond is n events over d, per second; 0 when d is not positive.
func perSecond(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}
