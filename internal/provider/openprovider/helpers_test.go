package openprovider

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/openprovider/fake"
)

const (
	testUser     = "api-user-7f3c"
	testPassword = "Pa55-w0rd-e91b"
	testProduct  = 42
)

// newFake starts a fake Openprovider that knows the test user.
func newFake(t *testing.T, opts fake.Options) *fake.Server {
	t.Helper()
	if opts.Users == nil {
		opts.Users = map[string]string{testUser: testPassword}
	}
	srv, err := fake.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// newClient returns an unlimited client of the test user against srv, on
// the given clock.
func newClient(t *testing.T, srv *fake.Server, clock *fakeClock, opts ...Option) *Client {
	t.Helper()
	base := []Option{
		WithBaseURL(srv.Start()),
		WithHTTPClient(&http.Client{Timeout: 5 * time.Second}),
		WithLimiter(nil),
		WithClock(clock.Now),
		WithOrderSettings(OrderSettings{ProductID: testProduct}),
	}
	c, err := New(testUser, testPassword, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// setup is a fake with its client, on a fake clock.
func setup(t *testing.T) (*fake.Server, *Client, *fakeClock) {
	t.Helper()
	srv := newFake(t, fake.Options{})
	clock := newClock()
	return srv, newClient(t, srv, clock), clock
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Now()} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newRequest is an order request with a fresh key for cn and sans.
func newRequest(t *testing.T, cn string, sans ...string) provider.Request {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: cn}, DNSNames: sans}, key)
	if err != nil {
		t.Fatal(err)
	}
	return provider.Request{
		Action:     provider.ActionOrder,
		CSR:        pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}),
		CommonName: cn,
		DNSNames:   sans,
	}
}

// placeIssued places an order for req and polls it once, which issues it
// when the fake has no pending polls scripted.
func placeIssued(t *testing.T, c *Client, req provider.Request) provider.Status {
	t.Helper()
	st, err := c.Submit(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return mustPoll(t, c, req, st.Handle, provider.StateIssued)
}

func mustPoll(t *testing.T, c *Client, req provider.Request, h provider.Handle, want provider.State) provider.Status {
	t.Helper()
	st, err := c.Poll(context.Background(), provider.PollRequest{Action: req.Action, Handle: h, CSR: req.CSR})
	if err != nil {
		t.Fatal(err)
	}
	if st.State != want {
		t.Fatalf("state %s (%s), want %s", st.State, st.Message, want)
	}
	return st
}

// class names the provider error class of err.
func class(err error) string {
	var transient *provider.TransientError
	var permanent *provider.PermanentError
	var auth *provider.AuthError
	switch {
	case err == nil:
		return "none"
	case errors.As(err, &transient):
		return "transient"
	case errors.As(err, &permanent):
		return "permanent"
	case errors.As(err, &auth):
		return "auth"
	}
	return "unclassified"
}

func wantClass(t *testing.T, err error, want string) {
	t.Helper()
	if got := class(err); got != want {
		t.Fatalf("error %v is %s, want %s", err, got, want)
	}
}

// recorder is a transport that remembers the bearer tokens and the last
// request body of each method and path.
type recorder struct {
	mu     sync.Mutex
	tokens []string
	bodies map[string][]byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if tok, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer "); ok {
		r.tokens = append(r.tokens, tok)
	}
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
		if r.bodies == nil {
			r.bodies = map[string][]byte{}
		}
		r.bodies[req.Method+" "+req.URL.Path] = b
	}
	return http.DefaultTransport.RoundTrip(req)
}

func (r *recorder) seenTokens() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.tokens...)
}

func (r *recorder) body(route string) []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bodies[route]
}
