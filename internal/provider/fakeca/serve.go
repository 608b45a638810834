package fakeca

import (
	"net/http"
	"net/http/httptest"
	"sync"
)

// Loopback serves a fake CA's handler on 127.0.0.1, once.
type Loopback struct {
	mu  sync.Mutex
	srv *httptest.Server
}

// Start serves h and returns the base URL with prefix. Starting again
// returns the same URL.
func (l *Loopback) Start(h http.Handler, prefix string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.srv == nil {
		l.srv = httptest.NewServer(h)
	}
	return l.srv.URL + prefix
}

// Close stops serving.
func (l *Loopback) Close() {
	l.mu.Lock()
	srv := l.srv
	l.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}
