package metrics_test

import (
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/certorder/certorder/internal/metrics"
)

func TestObserveCACall(t *testing.T) {
	const endpoint = "GET /order/certificate/{id}"
	for _, tc := range []struct {
		name    string
		status  int
		err     error
		outcome string
	}{
		{"ok", 200, nil, metrics.OutcomeSuccess},
		{"created", 201, nil, metrics.OutcomeSuccess},
		{"bad request", 400, nil, metrics.OutcomeClientError},
		{"forbidden", 403, nil, metrics.OutcomeClientError},
		{"too many requests", 429, nil, metrics.OutcomeRateLimited},
		{"internal error", 500, nil, metrics.OutcomeServerError},
		{"unavailable", 503, nil, metrics.OutcomeServerError},
		{"connection refused", 0, errors.New("connection refused"), metrics.OutcomeTransportError},
		{"body cut short", 200, errors.New("unexpected EOF"), metrics.OutcomeTransportError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			provider := "call " + tc.name
			metrics.ObserveCACall(provider, endpoint, tc.status, tc.err, 1500*time.Millisecond)
			metrics.ObserveCACall(provider, endpoint, tc.status, tc.err, 500*time.Millisecond)

			calls := series(t, "certorder_ca_requests_total", "provider", provider, "endpoint", endpoint, "outcome", tc.outcome)
			if calls.value != 2 {
				t.Errorf("certorder_ca_requests_total{outcome=%q} = %v, want 2", tc.outcome, calls.value)
			}
			latency := series(t, "certorder_ca_request_duration_seconds", "provider", provider, "endpoint", endpoint)
			if latency.count != 2 || latency.sum != 2 {
				t.Errorf("certorder_ca_request_duration_seconds: count %d, sum %v; want 2 and 2", latency.count, latency.sum)
			}
		})
	}
}

func TestObserveSubmission(t *testing.T) {
	for _, tc := range []struct {
		action string
		times  int
	}{
		{"Order", 1},
		{"Reissue", 2},
		{"Duplicate", 3},
	} {
		t.Run(tc.action, func(t *testing.T) {
			t.Parallel()
			provider := "submit " + tc.action
			for range tc.times {
				metrics.ObserveSubmission(provider, tc.action)
			}
			if got := series(t, "certorder_submissions_total", "provider", provider, "action", tc.action).value; got != float64(tc.times) {
				t.Errorf("certorder_submissions_total{action=%q} = %v, want %d", tc.action, got, tc.times)
			}
		})
	}
}

func TestSetPending(t *testing.T) {
	t.Parallel()
	for _, n := range []int{3, 7, 0} {
		metrics.SetPending("pending", "1h-1d", n)
		if got := series(t, "certorder_certificaterequests_pending", "provider", "pending", "age", "1h-1d").value; got != float64(n) {
			t.Errorf("after SetPending(%d), certorder_certificaterequests_pending = %v", n, got)
		}
	}
}

func TestPendingAge(t *testing.T) {
	for _, tc := range []struct {
		age  time.Duration
		want string
	}{
		{0, "0-5m"},
		{5 * time.Minute, "0-5m"},
		{5*time.Minute + time.Second, "5m-1h"},
		{time.Hour, "5m-1h"},
		{2 * time.Hour, "1h-1d"},
		{25 * time.Hour, "1d+"},
		{-time.Minute, "0-5m"},
	} {
		if got := metrics.PendingAge(tc.age); got != tc.want {
			t.Errorf("PendingAge(%s) = %q, want %q", tc.age, got, tc.want)
		}
	}
}

func TestHistograms(t *testing.T) {
	for _, tc := range []struct {
		metric  string
		observe func(provider string, d time.Duration)
	}{
		{"certorder_certificaterequest_issue_duration_seconds", metrics.ObserveIssued},
		{"certorder_ratelimiter_wait_seconds", metrics.ObserveLimiterWait},
	} {
		t.Run(tc.metric, func(t *testing.T) {
			t.Parallel()
			provider := "histogram " + tc.metric
			tc.observe(provider, 90*time.Second)
			tc.observe(provider, 30*time.Second)
			if got := series(t, tc.metric, "provider", provider); got.count != 2 || got.sum != 120 {
				t.Errorf("count %d, sum %v; want 2 and 120", got.count, got.sum)
			}
		})
	}
}

// TestRegistered proves every collector is served by controller-runtime's
// registry (a vector appears once it has a series) and passes the linter.
func TestRegistered(t *testing.T) {
	const provider = "registered"
	metrics.ObserveCACall(provider, "GET /x", 200, nil, time.Second)
	metrics.ObserveSubmission(provider, "Order")
	metrics.SetPending(provider, "0-5m", 1)
	metrics.ObserveIssued(provider, time.Minute)
	metrics.ObserveLimiterWait(provider, time.Millisecond)
	metrics.SetBuildInfo("registered")
	names := []string{
		"certorder_build_info",
		"certorder_ca_requests_total",
		"certorder_ca_request_duration_seconds",
		"certorder_submissions_total",
		"certorder_certificaterequests_pending",
		"certorder_certificaterequest_issue_duration_seconds",
		"certorder_ratelimiter_wait_seconds",
	}
	for _, name := range names {
		if n, err := testutil.GatherAndCount(registry, name); err != nil || n == 0 {
			t.Errorf("%s: %d series, %v", name, n, err)
		}
	}
	problems, err := testutil.GatherAndLint(registry, names...)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
}

func TestRegister(t *testing.T) {
	if err := metrics.Register(registry); err != nil {
		t.Errorf("registering again: %v, want a no-op", err)
	}
	clash := prometheus.NewRegistry()
	clash.MustRegister(prometheus.NewCounter(prometheus.CounterOpts{Name: "certorder_submissions_total", Help: "another collector of the same name"}))
	if err := metrics.Register(clash); err == nil {
		t.Error("registered beside a different collector of the same name")
	}
}
