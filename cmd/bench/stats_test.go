package main

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	for _, tc := range []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"no values", nil, 50, 0},
		{"one value, p50", []time.Duration{7}, 50, 7},
		{"one value, p99", []time.Duration{7}, 99, 7},
		{"two values, p50 is the lower", []time.Duration{1, 2}, 50, 1},
		{"two values, p51 is the upper", []time.Duration{1, 2}, 51, 2},
		{"1..100 ms, p50", hundred, 50, 50 * time.Millisecond},
		{"1..100 ms, p95", hundred, 95, 95 * time.Millisecond},
		{"1..100 ms, p99", hundred, 99, 99 * time.Millisecond},
		{"1..100 ms, p100 is the maximum", hundred, 100, 100 * time.Millisecond},
		{"a tiny p is the minimum", hundred, 0.001, time.Millisecond},
		{"ten values, p95 rounds up to the 10th", []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 95, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := percentile(tc.sorted, tc.p); got != tc.want {
				t.Errorf("percentile(%v, %v) = %v, want %v", tc.sorted, tc.p, got, tc.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	got := summarize([]time.Duration{5, 1, 4, 2, 3})
	want := latencies{P50: 3, P95: 5, P99: 5, Max: 5}
	if got != want {
		t.Errorf("summarize = %+v, want %+v", got, want)
	}
}

func TestPerSecond(t *testing.T) {
	for _, tc := range []struct {
		n    int
		d    time.Duration
		want float64
	}{
		{100, 2 * time.Second, 50},
		{1, 500 * time.Millisecond, 2},
		{10, 0, 0},
		{0, time.Second, 0},
	} {
		if got := perSecond(tc.n, tc.d); got != tc.want {
			t.Errorf("perSecond(%d, %v) = %v, want %v", tc.n, tc.d, got, tc.want)
		}
	}
}
