package controllers_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/utils/ptr"

	"github.com/certorder/certorder/api/v1alpha1"
)

// gateMode is what a gate does with the POSTs it holds.
type gateMode int

const (
	// passThrough forwards every call.
	passThrough gateMode = iota
	// holdBeforeCA holds a POST until its caller gives up; the CA never
	// sees it: a crash just before the POST.
	holdBeforeCA
	// holdAfterCA forwards a POST (the CA commits it) and holds the answer
	// until the caller gives up: a crash after the POST, before its answer
	// was recorded.
	holdAfterCA
	// lateCA forwards a POST only after delay, whether or not the caller is
	// still waiting: a CA that commits after the client's timeout.
	lateCA
)

// gate is an HTTP proxy in front of a fake CA. It counts the POSTs in
// flight through it, so a test can crash certorder while one is, without
// guessing with a sleep.
type gate struct {
	URL string

	target *url.URL
	proxy  *httputil.ReverseProxy

	mu       sync.Mutex
	mode     gateMode
	delay    time.Duration
	only     string
	inFlight int
	paths    []string
}

// newGate serves a gate to the fake CA at caURL (its base URL) until the
// test ends, and returns it. gate.URL replaces caURL in an issuer.
func newGate(t *testing.T, caURL string) *gate {
	t.Helper()
	u, err := url.Parse(caURL)
	if err != nil {
		t.Fatal(err)
	}
	g := &gate{target: &url.URL{Scheme: u.Scheme, Host: u.Host}}
	g.proxy = httputil.NewSingleHostReverseProxy(g.target)
	srv := httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(srv.Close)
	g.URL = srv.URL + u.Path
	return g
}

// gatedDigiCertIssuer makes a Ready DigiCertIssuer in ns that calls the
// fake CA through a gate, and returns the gate.
func gatedDigiCertIssuer(t *testing.T, ns string) *gate {
	t.Helper()
	g := newGate(t, dcURL)
	readyDigiCertIssuer(t, ns, func(s *v1alpha1.DigiCertIssuerSpec) {
		s.URL = g.URL
		// The soak places hundreds of orders through one issuer.
		s.NewOrderBudget = ptr.To[int32](10000)
	})
	return g
}

// waitInFlight waits until the gate holds a POST.
func (g *gate) waitInFlight(t *testing.T) {
	t.Helper()
	eventually(t, "a POST in flight", func() error { return want(g.InFlight() > 0, "none in flight") })
}

// crash stops certorder (stop) once the gate holds a POST, opens the gate
// and starts a new certorder, whose stop it returns.
func (g *gate) crash(t *testing.T, stop func()) func() {
	t.Helper()
	g.waitInFlight(t)
	stop()
	g.set(passThrough, 0)
	return startManager(t)
}

// set changes what the gate does with the next POSTs.
func (g *gate) set(mode gateMode, delay time.Duration) { g.setFor(mode, delay, "") }

// setFor is set for the POSTs whose path contains only.
func (g *gate) setFor(mode gateMode, delay time.Duration, only string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.mode, g.delay, g.only = mode, delay, only
}

// InFlight is the number of POSTs the gate holds.
func (g *gate) InFlight() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.inFlight
}

// called tells whether any call's path contained s.
func (g *gate) called(s string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, p := range g.paths {
		if strings.Contains(p, s) {
			return true
		}
	}
	return false
}

func (g *gate) serve(w http.ResponseWriter, r *http.Request) {
	// Read the body now: a held call may outlive its client.
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	g.mu.Lock()
	mode, delay := g.mode, g.delay
	g.paths = append(g.paths, r.Method+" "+r.URL.Path)
	if r.Method != http.MethodPost || !strings.Contains(r.URL.Path, g.only) {
		mode = passThrough
	}
	if mode != passThrough {
		g.inFlight++
		defer func() { g.mu.Lock(); g.inFlight--; g.mu.Unlock() }()
	}
	g.mu.Unlock()
	switch mode {
	case passThrough:
		g.proxy.ServeHTTP(w, r)
	case holdBeforeCA:
		<-r.Context().Done()
	case holdAfterCA:
		g.proxy.ServeHTTP(httptest.NewRecorder(), r.WithContext(context.WithoutCancel(r.Context())))
		<-r.Context().Done()
	case lateCA:
		time.Sleep(delay)
		rec := httptest.NewRecorder()
		g.proxy.ServeHTTP(rec, r.WithContext(context.WithoutCancel(r.Context())))
		if r.Context().Err() == nil {
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
		}
	}
}
