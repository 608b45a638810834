package provider

import (
	"testing"
	"time"
)

func TestDeferralsSpreadRetries(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// deferral is one call deferred at start+at, whose token the limiter
	// would give after delay; it must come back after want.
	type deferral struct{ at, delay, want time.Duration }
	tests := []struct {
		name  string
		every time.Duration
		calls []deferral
	}{
		{
			name:  "calls deferred together come back one token apart, in order",
			every: 300 * time.Millisecond,
			calls: []deferral{{0, 2 * time.Second, 2 * time.Second}, {0, 2 * time.Second, 2300 * time.Millisecond}, {100 * time.Millisecond, 2 * time.Second, 2500 * time.Millisecond}},
		},
		{
			name:  "a call whose token comes after the queue comes back with its token",
			every: 300 * time.Millisecond,
			calls: []deferral{{0, 2 * time.Second, 2 * time.Second}, {0, 5 * time.Second, 5 * time.Second}, {0, 2 * time.Second, 5300 * time.Millisecond}},
		},
		{
			name:  "a queue that has come back is forgotten",
			every: 300 * time.Millisecond,
			calls: []deferral{{0, 2 * time.Second, 2 * time.Second}, {10 * time.Second, 2 * time.Second, 2 * time.Second}},
		},
		{
			name:  "an unlimited limiter queues nothing",
			calls: []deferral{{0, 2 * time.Second, 2 * time.Second}, {0, 2 * time.Second, 2 * time.Second}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d deferrals
			for i, c := range tt.calls {
				if got := d.retryAfter(start.Add(c.at), c.delay, tt.every); got != c.want {
					t.Errorf("call %d: retry after %s, want %s", i+1, got, c.want)
				}
			}
		})
	}
}
