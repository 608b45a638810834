package provider

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/certorder/certorder/internal/metrics"
)

// MaxResponseBytes caps what is read of any CA response, so a hostile or
// broken endpoint cannot exhaust memory.
const MaxResponseBytes = 4 << 20

// HTTPOptions configure the HTTP client of a CA.
type HTTPOptions struct {
	// Timeout of one call, connection to last byte. Required.
	Timeout time.Duration
	// CABundle is PEM certificates trusted in addition to the system roots.
	CABundle []byte
	// ProxyURL overrides the proxy from the environment.
	ProxyURL string
}

// NewHTTPClient builds a client that always verifies TLS and never follows
// a redirect: a credential sent as a custom header (DigiCert's X-DC-DEVKEY)
// would follow it to any host the endpoint names.
func NewHTTPClient(o HTTPOptions) (*http.Client, error) {
	if o.Timeout <= 0 {
		return nil, errors.New("an HTTP timeout is required")
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = http.ProxyFromEnvironment
	if o.ProxyURL != "" {
		u, err := CheckProxyURL(o.ProxyURL)
		if err != nil {
			return nil, err
		}
		tr.Proxy = http.ProxyURL(u)
	}
	if len(o.CABundle) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(o.CABundle) {
			return nil, errors.New("the CA bundle holds no PEM certificate")
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Transport: tr, Timeout: o.Timeout, CheckRedirect: noRedirects}, nil
}

// noRedirects hands a redirect back to the caller instead of following it.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// CheckProxyURL accepts an http(s) proxy with no query, fragment or user
// info.
func CheckProxyURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("proxyURL %q is not an http(s) URL", raw)
	}
	if strings.ContainsAny(raw, "?#@") {
		return nil, fmt.Errorf("proxyURL %q may carry no query, fragment or user info", raw)
	}
	return u, nil
}

// Response is a CA response read in full (up to MaxResponseBytes).
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// Caller sends the HTTP calls of one CA client: one credential's limiter,
// one HTTP client, and a bounded name per endpoint for logs and metrics.
type Caller struct {
	// Provider names the CA, such as "digicert".
	Provider string
	Client   *http.Client
	// Limiter is shared by every client of the same credential; nil means
	// unlimited.
	Limiter *Limiter
}

// Send waits for the limiter, performs req once and reads the response.
// endpoint is the call's route template, such as "GET /order/certificate/{id}",
// never a path with ids in it. Faults on the way (limiter cancelled,
// connection refused or dropped, timeout, a body cut short) come back as
// *TransientError. It never retries: a POST that reached the CA may have
// placed an order.
//
// Every call is recorded in the metrics: the limiter wait, then the call's
// outcome and latency under the endpoint template.
func (c *Caller) Send(ctx context.Context, endpoint string, req *http.Request) (*Response, error) {
	if c.Limiter != nil && !usePrepaid(ctx) {
		if err := c.waitLimiter(ctx, endpoint); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	resp, err := c.do(ctx, endpoint, req)
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	metrics.ObserveCACall(c.Provider, endpoint, status, err, time.Since(start))
	return resp, err
}

// MaxLimiterWait is the longest the first call of a deferrable unit of
// work (see Deferrable) waits for its credential's rate limiter. A longer
// wait holds no worker: the call is not sent, and the caller requeues after
// the delay (ErrNotSent), so one saturated key cannot starve the reconciles
// of other keys.
const MaxLimiterWait = time.Second

// ErrNotSent marks a TransientError whose call never left certorder: the
// rate limiter had no room within MaxLimiterWait. Its RetryAfter says when
// to try again: when the limiter will have room for it, after the calls
// deferred before it (deferrals).
var ErrNotSent = errors.New("not sent to the CA")

type deferralKey struct{}

// deferral records whether a unit of work has taken a token yet, and
// whether it holds one taken ahead of its next call (Prepay).
type deferral struct {
	mu      sync.Mutex
	taken   bool
	prepaid bool
}

// Deferrable marks ctx as one unit of work, such as one reconcile, whose
// first CA call is not sent (ErrNotSent) when the limiter would hold it
// longer than MaxLimiterWait. Once a call of the unit has been sent, the
// rest wait their turn: deferring them would waste the tokens already
// spent, and a credential slower than one call a second would never finish
// a unit of several calls.
func Deferrable(ctx context.Context) context.Context {
	return context.WithValue(ctx, deferralKey{}, &deferral{})
}

// mayDefer tells whether a call in ctx may be deferred: the first of a
// deferrable unit.
func mayDefer(ctx context.Context) bool {
	d, ok := ctx.Value(deferralKey{}).(*deferral)
	if !ok {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return !d.taken
}

// tokenTaken records that a call of ctx's unit has its token.
func tokenTaken(ctx context.Context) {
	if d, ok := ctx.Value(deferralKey{}).(*deferral); ok {
		d.mu.Lock()
		d.taken = true
		d.mu.Unlock()
	}
}

// Prepay takes now the token of the next call of ctx's unit of work, as
// that call would take it: the first call of a Deferrable unit is not
// sent (ErrNotSent) rather than held past MaxLimiterWait. The next call
// then takes no token of its own. A caller that records something before a
// call, as certorder records a submission's intent in its ledger, so
// learns that the call would wait before it writes, rather than write and
// then undo it. Outside a Deferrable unit, or without a limiter, it takes
// nothing. what names the call for the error.
func (c *Caller) Prepay(ctx context.Context, what string) error {
	d, ok := ctx.Value(deferralKey{}).(*deferral)
	if c.Limiter == nil || !ok {
		return nil
	}
	if err := c.waitLimiter(ctx, what); err != nil {
		return err
	}
	d.mu.Lock()
	d.prepaid = true
	d.mu.Unlock()
	return nil
}

// usePrepaid spends the token Prepay took for ctx's unit, if it holds one.
func usePrepaid(ctx context.Context) bool {
	d, ok := ctx.Value(deferralKey{}).(*deferral)
	if !ok {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	used := d.prepaid
	d.prepaid = false
	return used
}

// waitLimiter takes the call's token. The first call of a deferrable unit
// waits at most MaxLimiterWait.
func (c *Caller) waitLimiter(ctx context.Context, endpoint string) error {
	now := time.Now()
	r := c.Limiter.ReserveN(now, 1)
	delay := r.DelayFrom(now)
	// A deferred call counts the wait it would have had, so the histogram
	// still shows how saturated the credential is.
	metrics.ObserveLimiterWait(c.Provider, delay)
	if !r.OK() || (delay > MaxLimiterWait && mayDefer(ctx)) {
		r.CancelAt(now)
		retry := delay
		if r.OK() {
			retry = c.Limiter.deferred.retryAfter(now, delay, tokenInterval(c.Limiter.Limiter))
		}
		return &TransientError{Err: fmt.Errorf("%s: the credential's rate limiter has no room for %s: %w", endpoint, delay.Round(time.Second), ErrNotSent), RetryAfter: retry}
	}
	if deadline, ok := ctx.Deadline(); ok && now.Add(delay).After(deadline) {
		// As rate.Limiter.Wait does: a wait the deadline would cut short
		// fails now, its token given back, rather than hold the caller
		// until the deadline to fail then.
		r.CancelAt(now)
		return &TransientError{Err: fmt.Errorf("%s: the credential's rate limiter has no room for %s, past the call's deadline: %w", endpoint, delay.Round(time.Second), context.DeadlineExceeded)}
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		tokenTaken(ctx)
		return nil
	case <-ctx.Done():
		r.Cancel()
		return &TransientError{Err: fmt.Errorf("%s: waiting for the rate limiter: %w", endpoint, ctx.Err())}
	}
}

// do performs req once and reads the response.
func (c *Caller) do(ctx context.Context, endpoint string, req *http.Request) (*Response, error) {
	resp, err := c.Client.Do(req.WithContext(ctx))
	if err != nil {
		return nil, &TransientError{Err: fmt.Errorf("%s: %w", endpoint, err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 && resp.Header.Get("Location") != "" {
		// The body and the target stay unread and unquoted: they are not
		// the CA's, and may be what an attacker wants echoed into status.
		return nil, &PermanentError{Err: fmt.Errorf("%s: the endpoint answered %d with a redirect, which certorder never follows: set the issuer's url to the CA's API base", endpoint, resp.StatusCode)}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return nil, &TransientError{Err: fmt.Errorf("%s: reading the response: %w", endpoint, err)}
	}
	if len(body) > MaxResponseBytes {
		return nil, &PermanentError{Err: fmt.Errorf("%s: the response exceeds %d bytes", endpoint, MaxResponseBytes)}
	}
	return &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// RetryAfter parses a Retry-After header (seconds or an HTTP date). It
// returns zero when the header is absent or unreadable.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// Fingerprint is a short, stable digest of a secret or a CSR, for logs and
// error messages that must not carry the value itself.
func Fingerprint(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}
