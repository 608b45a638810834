package provider_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/certorder/certorder/internal/provider"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{
		{"", 0},
		{"7", 7 * time.Second},
		{"0", 0},
		{"-3", 0},
		{"soon", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	} {
		h := http.Header{}
		if tc.header != "" {
			h.Set("Retry-After", tc.header)
		}
		if got := provider.RetryAfter(h, now); got != tc.want {
			t.Errorf("Retry-After %q: got %s, want %s", tc.header, got, tc.want)
		}
	}
}

func TestCallerSend(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/huge":
			_, _ = w.Write([]byte(strings.Repeat("x", provider.MaxResponseBytes+1)))
		case "/slow":
			// Never answers: only the client's timeout ends the call.
			<-r.Context().Done()
		default:
			_, _ = w.Write([]byte("ok"))
		}
	}))
	defer srv.Close()
	hc, err := provider.NewHTTPClient(provider.HTTPOptions{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c := &provider.Caller{Provider: "test", Client: hc}
	get := func(path string) (*provider.Response, error) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		return c.Send(context.Background(), "GET "+path, req)
	}
	if resp, err := get("/ok"); err != nil || string(resp.Body) != "ok" {
		t.Errorf("ok: %v %v", resp, err)
	}
	var transient *provider.TransientError
	if _, err := get("/slow"); !errors.As(err, &transient) {
		t.Errorf("a timeout gave %v, want a TransientError", err)
	}
	var permanent *provider.PermanentError
	if _, err := get("/huge"); !errors.As(err, &permanent) || !strings.Contains(err.Error(), "exceeds") {
		t.Errorf("an oversized body gave %v, want a PermanentError", err)
	}
	srv.Close()
	if _, err := get("/ok"); !errors.As(err, &transient) {
		t.Errorf("a refused connection gave %v, want a TransientError", err)
	}
}

func TestNewHTTPClientRefusesBadOptions(t *testing.T) {
	for name, o := range map[string]provider.HTTPOptions{
		"no timeout":            {},
		"socks proxy":           {Timeout: time.Second, ProxyURL: "socks5://proxy:1080"},
		"proxy with user info":  {Timeout: time.Second, ProxyURL: "http://user:pass@proxy:3128"},
		"proxy with a query":    {Timeout: time.Second, ProxyURL: "http://proxy:3128/?x="},
		"proxy with a fragment": {Timeout: time.Second, ProxyURL: "http://proxy:3128/#x"},
		"bundle, not PEM":       {Timeout: time.Second, CABundle: []byte("not a certificate")},
	} {
		if _, err := provider.NewHTTPClient(o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestRedirectIsNeverFollowed: a CA endpoint that redirects gets no second
// request, so a credential header never reaches the redirect's target, and
// the redirect's body is not handed to the client to quote.
func TestRedirectIsNeverFollowed(t *testing.T) {
	var leaked []string
	target := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		leaked = append(leaked, r.Header.Get("X-DC-DEVKEY"))
	}))
	defer target.Close()
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", target.URL+"/latest/meta-data/")
			w.WriteHeader(code)
			_, _ = w.Write([]byte("metadata-secret"))
		}))
		hc, err := provider.NewHTTPClient(provider.HTTPOptions{Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		c := &provider.Caller{Provider: "test", Client: hc}
		req, _ := http.NewRequest(http.MethodPost, redirector.URL+"/order", strings.NewReader("{}"))
		req.Header.Set("X-DC-DEVKEY", "secret-key")
		_, err = c.Send(context.Background(), "POST /order", req)
		redirector.Close()
		var permanent *provider.PermanentError
		if !errors.As(err, &permanent) || !strings.Contains(err.Error(), "never follows") {
			t.Errorf("%d: got %v, want a PermanentError saying redirects are not followed", code, err)
		}
		if err != nil && strings.Contains(err.Error(), "metadata-secret") {
			t.Errorf("%d: the redirect's body reached the error: %v", code, err)
		}
	}
	if len(leaked) != 0 {
		t.Errorf("the redirect target was called %d times, with keys %q", len(leaked), leaked)
	}
}

func TestLimitersSharePerCredential(t *testing.T) {
	l := provider.NewLimiters(rate.Every(time.Hour), 1)
	a, b := l.For([]byte("key-a")), l.For([]byte("key-b"))
	if a != l.For([]byte("key-a")) {
		t.Error("the same credential got two limiters")
	}
	if a == b {
		t.Error("two credentials share a limiter")
	}
	if !a.Allow() || a.Allow() {
		t.Error("the limiter does not hold its burst of 1")
	}
	if !b.Allow() {
		t.Error("one credential's use drained another's limiter")
	}
}

// A call that would wait longer than MaxLimiterWait for its credential's
// limiter is not sent: it comes back at once as ErrNotSent, with the delay.
func TestLimiterDefersInsteadOfWaiting(t *testing.T) {
	srv, calls := countingServer(t)
	c := &provider.Caller{Provider: "test", Client: srv.Client(), Limiter: provider.NewLimiter(rate.Every(time.Hour), 1)}
	var ctx context.Context
	send := func() error {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		_, err := c.Send(ctx, "GET /", req)
		return err
	}
	ctx = provider.Deferrable(context.Background())
	if err := send(); err != nil {
		t.Fatalf("the first call: %v", err)
	}
	ctx = provider.Deferrable(context.Background())
	start := time.Now()
	err := send()
	var transient *provider.TransientError
	if !errors.Is(err, provider.ErrNotSent) || !errors.As(err, &transient) || transient.RetryAfter < 59*time.Minute {
		t.Errorf("the second call gave %v, want ErrNotSent retrying after about an hour", err)
	}
	if waited := time.Since(start); waited > provider.MaxLimiterWait {
		t.Errorf("the deferred call held its caller for %s", waited)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("the CA saw %d calls, want 1", n)
	}
}

// Once a unit of work has sent a call, its later calls wait for the
// limiter rather than waste the tokens spent: at 3 calls a second a unit
// of three calls completes.
func TestLimiterWaitsAfterTheUnitsFirstCall(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	defer srv.Close()
	c := &provider.Caller{Provider: "test", Client: srv.Client(), Limiter: provider.NewLimiter(rate.Every(1500*time.Millisecond), 1)}
	ctx := provider.Deferrable(context.Background())
	for i := range 3 {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		if _, err := c.Send(ctx, "GET /", req); err != nil {
			t.Fatalf("call %d of the unit: %v", i+1, err)
		}
	}
}

// Calls deferred together are told to come back one token apart, not all
// when the first token comes, which only the first could use.
func TestLimiterSpreadsDeferredCalls(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	defer srv.Close()
	const every = 2 * time.Second
	c := &provider.Caller{Provider: "test", Client: srv.Client(), Limiter: provider.NewLimiter(rate.Every(every), 1)}
	for i := range 5 {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		_, err := c.Send(provider.Deferrable(context.Background()), "GET /", req)
		if i == 0 {
			if err != nil {
				t.Fatalf("the first call: %v", err)
			}
			continue
		}
		var transient *provider.TransientError
		if !errors.Is(err, provider.ErrNotSent) || !errors.As(err, &transient) {
			t.Fatalf("call %d gave %v, want ErrNotSent", i+1, err)
		}
		if want := time.Duration(i) * every; transient.RetryAfter < want-time.Second || transient.RetryAfter > want {
			t.Errorf("call %d: retry after %s, want about %s", i+1, transient.RetryAfter, want)
		}
	}
}

// A wait for the limiter that would outlast the call's deadline fails at
// once, with the token given back, instead of holding the caller until the
// deadline: the caller's context is still live when the error comes back.
func TestLimiterWaitPastTheDeadlineFailsAtOnce(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	defer srv.Close()
	lim := provider.NewLimiter(rate.Every(time.Hour), 1)
	c := &provider.Caller{Provider: "test", Client: srv.Client(), Limiter: lim}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for i, want := range []bool{true, false} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		_, err := c.Send(ctx, "GET /", req)
		var transient *provider.TransientError
		switch {
		case want && err != nil:
			t.Fatalf("call %d: %v", i+1, err)
		case !want && (!errors.As(err, &transient) || !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, provider.ErrNotSent)):
			t.Fatalf("call %d gave %v, want a transient deadline error", i+1, err)
		}
	}
	if ctx.Err() != nil {
		t.Error("the limited call returned only once its context had ended")
	}
	if tokens := lim.Tokens(); tokens < -0.01 {
		t.Errorf("the limiter holds %.2f tokens; the failed call's reservation was not given back", tokens)
	}
}

// countingServer answers every call with "ok" and counts them.
func countingServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}
