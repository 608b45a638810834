package fakeca

import (
	"net/http"
	"net/http/httptest"
	"sync"
)

// Base is what every fake CA shares: the CA that signs, the fault script
// run before the API, and serving on 127.0.0.1. A fake embeds it and sets
// its API with Serve.
type Base struct {
	ca      *CA
	faults  *Faults
	prefix  string
	handler http.Handler

	mu  sync.Mutex
	srv *httptest.Server
}

// NewBase makes a fresh CA named name, for an API whose paths start with
// prefix.
func NewBase(name, prefix string) (*Base, error) {
	ca, err := New(name)
	if err != nil {
		return nil, err
	}
	return &Base{ca: ca, faults: &Faults{}, prefix: prefix}, nil
}

// Serve sets the API; every call passes the fault script first.
func (b *Base) Serve(api http.Handler) { b.handler = b.faults.Wrap(api) }

// Start serves on 127.0.0.1 and returns the API's base URL, such as
// http://127.0.0.1:PORT/v1beta. Starting again returns the same URL.
func (b *Base) Start() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.srv == nil {
		b.srv = httptest.NewServer(b.handler)
	}
	return b.srv.URL + b.prefix
}

// Close stops serving.
func (b *Base) Close() {
	b.mu.Lock()
	srv := b.srv
	b.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// Handler serves the API under its prefix, faults included, for a
// listener of the caller's.
func (b *Base) Handler() http.Handler { return b.handler }

// Faults is the fault script applied before the API.
func (b *Base) Faults() *Faults { return b.faults }

// CA is the CA that signs, for verifying chains.
func (b *Base) CA() *CA { return b.ca }
