package digicert_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/certorder/certorder/internal/provider/digicert"
	"github.com/certorder/certorder/internal/provider/digicert/fake"
)

// sent is one request as it went over the wire.
type sent struct {
	method, path, accept string
	body                 []byte
}

// recorder is a RoundTripper that keeps every request the client sends.
type recorder struct {
	mu   sync.Mutex
	sent []sent
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	r.mu.Lock()
	r.sent = append(r.sent, sent{method: req.Method, path: req.URL.Path, accept: req.Header.Get("Accept"), body: body})
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// last returns the last request whose method and path end match.
func (r *recorder) last(t *testing.T, method, pathSuffix string) sent {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.sent) - 1; i >= 0; i-- {
		if s := r.sent[i]; s.method == method && strings.HasSuffix(s.path, pathSuffix) {
			return s
		}
	}
	t.Fatalf("no %s ...%s was sent", method, pathSuffix)
	return sent{}
}

// newRecordedEnv is newEnv with every request recorded.
func newRecordedEnv(t *testing.T, opts fake.Options, clientOpts ...digicert.Option) (*env, *recorder) {
	t.Helper()
	rec := &recorder{}
	all := append([]digicert.Option{digicert.WithHTTPClient(&http.Client{Transport: rec})}, clientOpts...)
	return newEnv(t, opts, all...), rec
}
