package openprovider

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
)

// Factory builds a Client per issuer. Clients of the same credential share
// one limiter and one login token; clients of the same credential, URL, CA
// bundle and proxy share one HTTP client (and its connections). All three
// are forgotten once unused for provider.PoolIdle, as after a password
// change.
type Factory struct {
	limiters *provider.Limiters
	tokens   *TokenCache
	timeout  time.Duration
	now      func() time.Time
	// clients is keyed by a digest of what configures them.
	clients *provider.Pool[*http.Client]
}

// FactoryOption configures a Factory.
type FactoryOption func(*Factory)

// WithLimiters sets the per-credential limiter pool; the default paces at
// DefaultRate and DefaultBurst.
func WithLimiters(l *provider.Limiters) FactoryOption { return func(f *Factory) { f.limiters = l } }

// WithHTTPTimeout bounds one HTTP call; the default is DefaultTimeout.
func WithHTTPTimeout(d time.Duration) FactoryOption { return func(f *Factory) { f.timeout = d } }

// WithFactoryClock replaces time.Now in the clients built, for tests.
func WithFactoryClock(now func() time.Time) FactoryOption { return func(f *Factory) { f.now = now } }

// NewFactory returns a Factory.
func NewFactory(opts ...FactoryOption) *Factory {
	f := &Factory{
		limiters: NewLimiters(),
		tokens:   NewTokenCache(),
		timeout:  DefaultTimeout,
		now:      time.Now,
	}
	f.clients = provider.NewPool[*http.Client](provider.PoolIdle, func() time.Time { return f.now() })
	for _, o := range opts {
		o(f)
	}
	return f
}

// New builds the client of one issuer, reading its credentials and CA bundle
// through secrets. Errors of secrets are returned wrapped, for the caller to
// classify.
func (f *Factory) New(ctx context.Context, spec *v1alpha1.OpenproviderIssuerSpec, secrets provider.SecretReader) (provider.Provider, error) {
	if spec == nil {
		return nil, &provider.PermanentError{Err: errors.New("openprovider: no issuer spec")}
	}
	ref := spec.CredentialsSecretRef
	username, err := readSecret(ctx, secrets, "username", ref.Name, orDefault(ref.UsernameKey, "username"))
	if err != nil {
		return nil, err
	}
	password, err := readSecret(ctx, secrets, "password", ref.Name, orDefault(ref.PasswordKey, "password"))
	if err != nil {
		return nil, err
	}
	var bundle []byte
	if b := spec.CABundleSecretRef; b != nil {
		if bundle, err = readSecret(ctx, secrets, "CA bundle", b.Name, b.Key); err != nil {
			return nil, err
		}
	}
	baseURL := orDefault(spec.URL, DefaultURL)
	hc, err := f.httpClient(baseURL, username, password, bundle, spec.ProxyURL)
	if err != nil {
		return nil, &provider.PermanentError{Err: fmt.Errorf("openprovider: %w", err)}
	}
	caller := &provider.Caller{
		Provider: "openprovider",
		Client:   hc,
		Limiter:  f.limiters.For(credential(baseURL, username, password)),
	}
	return New(string(username), string(password),
		WithBaseURL(baseURL),
		WithCaller(caller),
		WithTokenCache(f.tokens),
		WithClock(f.now),
		WithOrderSettings(OrderSettings{
			ProductID:              spec.ProductID,
			Period:                 int(spec.Period),
			OrganizationHandle:     spec.OrganizationHandle,
			TechnicalHandle:        spec.TechnicalHandle,
			ApproverEmail:          spec.ApproverEmail,
			DomainValidationMethod: spec.DomainValidationMethod,
			SoftwareID:             spec.SoftwareID,
			SignatureHashAlgorithm: spec.SignatureHashAlgorithm,
			EnableDNSAutomation:    spec.DCV != nil && spec.DCV.EnableDNSAutomation,
		}))
}

func (f *Factory) httpClient(baseURL string, username, password, bundle []byte, proxyURL string) (*http.Client, error) {
	key := provider.Fingerprint(fmt.Appendf(credential(baseURL, username, password), " %q %q", bundle, proxyURL))
	return f.clients.Get(key, func() (*http.Client, error) {
		return provider.NewHTTPClient(provider.HTTPOptions{Timeout: f.timeout, CABundle: bundle, ProxyURL: proxyURL})
	})
}

// credential keys what is shared per Openprovider account: the API URL, the
// username and the password. Limiters fingerprint it, so the password is
// part of the key without being kept: an issuer with the right username but
// a wrong password gets a limiter of its own, and cannot use up the
// account's pace.
func credential(baseURL string, username, password []byte) []byte {
	return []byte(fmt.Sprintf("%q %q %q", baseURL, username, password))
}

func readSecret(ctx context.Context, secrets provider.SecretReader, what, name, key string) ([]byte, error) {
	v, err := secrets(ctx, name, key)
	if err != nil {
		return nil, fmt.Errorf("reading the Openprovider %s from Secret %q key %q: %w", what, name, key, err)
	}
	// A trailing newline is the usual slip of `kubectl create secret
	// --from-file`; no username or password ends in one.
	v = bytes.TrimRight(v, "\r\n")
	if len(v) == 0 {
		return nil, &provider.AuthError{Err: fmt.Errorf("the Openprovider %s in Secret %q key %q is empty", what, name, key)}
	}
	return v, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
