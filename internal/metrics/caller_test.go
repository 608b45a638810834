package metrics_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/certorder/certorder/internal/provider"
)

// TestCallerSend proves provider.Caller records each call's outcome and
// latency, and its rate-limiter wait, under bounded labels.
func TestCallerSend(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/order/certificate/42" {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()

	const name = "caller"
	c := &provider.Caller{Provider: name, Client: srv.Client(), Limiter: provider.NewLimiter(rate.Inf, 1)}
	send := func(endpoint, url string) {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = c.Send(context.Background(), endpoint, req)
	}
	send("GET /order/certificate/{id}", srv.URL+"/order/certificate/42")
	send("GET /user/me", srv.URL+"/user/me")
	send("GET /user/me", "http://127.0.0.1:1/user/me")

	for _, tc := range []struct {
		endpoint, outcome string
	}{
		{"GET /order/certificate/{id}", "rate_limited"},
		{"GET /user/me", "success"},
		{"GET /user/me", "transport_error"},
	} {
		got := series(t, "certorder_ca_requests_total", "provider", name, "endpoint", tc.endpoint, "outcome", tc.outcome)
		if got.value != 1 {
			t.Errorf("%s %s: %v calls, want 1", tc.endpoint, tc.outcome, got.value)
		}
	}
	if got := series(t, "certorder_ca_request_duration_seconds", "provider", name, "endpoint", "GET /user/me"); got.count != 2 {
		t.Errorf("latency of GET /user/me: %d samples, want 2", got.count)
	}
	if got := series(t, "certorder_ratelimiter_wait_seconds", "provider", name); got.count != 3 || got.sum > time.Second.Seconds() {
		t.Errorf("limiter wait: %d samples summing %vs, want 3 near zero", got.count, got.sum)
	}
}
