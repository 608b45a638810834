package digicert

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/time/rate"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
)

// CertCentral allows each API key 1000 requests per 5 minutes and 100 per
// 5 seconds, both over rolling windows (https://dev.digicert.com/rate-limits/;
// the current page,
// https://dev.digicert.com/en/certcentral-apis/services-api/rate-limits.html,
// says 1000 per 3 minutes, which any client within 1000 per 5 minutes
// keeps). A token bucket lets DefaultBurst plus DefaultRate x T calls
// through in any T: 20 + 980/300 x 300 = 1000 in 5 minutes, and 37 in 5
// seconds, however long the key stays saturated. A rate of 1000/300 would
// let 1020 through, and CertCentral answer 429.
const (
	DefaultBurst = 20
	DefaultRate  = rate.Limit(float64(1000-DefaultBurst) / 300)
)

// Factory builds the Client of each DigiCert issuer. Clients of the same
// API key share one limiter; clients of the same key, URL, CA bundle and
// proxy also share one HTTP client, and so its connections. Both are
// forgotten once unused for provider.PoolIdle, as after a key rotation.
type Factory struct {
	limiters *provider.Limiters
	timeout  time.Duration
	// clients is keyed by a digest of (key, URL, bundle, proxy), never by
	// the key itself.
	clients *provider.Pool[*http.Client]
}

// FactoryOption configures a Factory.
type FactoryOption func(*Factory)

// WithLimiters shares a pool of per-key limiters. Default: DefaultRate with
// DefaultBurst.
func WithLimiters(l *provider.Limiters) FactoryOption {
	return func(f *Factory) { f.limiters = l }
}

// WithTimeout bounds each call to CertCentral. Default: DefaultTimeout.
func WithTimeout(d time.Duration) FactoryOption {
	return func(f *Factory) { f.timeout = d }
}

// NewFactory returns a factory with its own limiters and connection pools.
func NewFactory(opts ...FactoryOption) *Factory {
	f := &Factory{
		limiters: provider.NewLimiters(DefaultRate, DefaultBurst),
		timeout:  DefaultTimeout,
		clients:  provider.NewPool[*http.Client](provider.PoolIdle, nil),
	}
	for _, o := range opts {
		o(f)
	}
	return f
}

// New returns the provider of one issuer. The API key and the optional CA
// bundle are read through secrets; its errors come back wrapped, in their
// own class.
func (f *Factory) New(ctx context.Context, spec *v1alpha1.DigiCertIssuerSpec, secrets provider.SecretReader) (provider.Provider, error) {
	s := withSpecDefaults(spec)
	ref := s.APIKeySecretRef
	raw, err := secrets(ctx, ref.Name, ref.Key)
	if err != nil {
		return nil, fmt.Errorf("reading the CertCentral API key (Secret %q, key %q): %w", ref.Name, ref.Key, err)
	}
	apiKey := strings.TrimSpace(string(raw))
	if apiKey == "" {
		return nil, &provider.AuthError{Err: fmt.Errorf("the CertCentral API key (Secret %q, key %q) is empty", ref.Name, ref.Key)}
	}
	var bundle []byte
	if b := s.CABundleSecretRef; b != nil {
		if bundle, err = secrets(ctx, b.Name, b.Key); err != nil {
			return nil, fmt.Errorf("reading the CA bundle (Secret %q, key %q): %w", b.Name, b.Key, err)
		}
	}
	key := provider.Fingerprint([]byte(strings.Join([]string{apiKey, s.URL, string(bundle), s.ProxyURL}, "\x00")))
	hc, err := f.clients.Get(key, func() (*http.Client, error) {
		return provider.NewHTTPClient(provider.HTTPOptions{Timeout: f.timeout, CABundle: bundle, ProxyURL: s.ProxyURL})
	})
	if err != nil {
		return nil, fmt.Errorf("building the CertCentral HTTP client: %w", err)
	}
	caller := &provider.Caller{Provider: "digicert", Client: hc, Limiter: f.limiters.For([]byte(apiKey))}
	return New(apiKey, WithBaseURL(s.URL), WithCaller(caller), WithIssuerSpec(&s))
}
