package openprovider

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/certorder/certorder/internal/provider"
)

// DefaultURL is Openprovider's public API base.
const DefaultURL = "https://api.openprovider.eu/v1beta"

// DefaultTimeout bounds one HTTP call when no client is given.
const DefaultTimeout = 30 * time.Second

// OrderSettings are the issuer's choices sent with every order and reissue.
type OrderSettings struct {
	ProductID              int64
	Period                 int
	OrganizationHandle     string
	TechnicalHandle        string
	ApproverEmail          string
	DomainValidationMethod string
	SoftwareID             string
	SignatureHashAlgorithm string
	// EnableDNSAutomation is the issuer's spec.dcv.enableDNSAutomation:
	// Openprovider publishes the validation records in zones it hosts.
	EnableDNSAutomation bool
}

// withDefaults fills what the CRD defaults, so that an object created
// without them behaves the same.
func (s OrderSettings) withDefaults() OrderSettings {
	if s.Period == 0 {
		s.Period = 1
	}
	if s.DomainValidationMethod == "" {
		s.DomainValidationMethod = "dns"
	}
	if s.SoftwareID == "" {
		s.SoftwareID = "linux"
	}
	if s.SignatureHashAlgorithm == "" {
		s.SignatureHashAlgorithm = "sha2"
	}
	return s
}

// Client is one Openprovider account, as configured by one issuer.
type Client struct {
	baseURL  string
	username string
	password string
	caller   *provider.Caller
	session  *session
	settings OrderSettings
	now      func() time.Time
}

var _ provider.Provider = &Client{}

type config struct {
	baseURL    string
	httpClient *http.Client
	caller     *provider.Caller
	limiter    *provider.Limiter
	limiterSet bool
	tokens     *TokenCache
	settings   OrderSettings
	now        func() time.Time
}

// Option configures a Client.
type Option func(*config)

// WithBaseURL points the client at another API base, such as a test server.
func WithBaseURL(u string) Option { return func(c *config) { c.baseURL = u } }

// WithHTTPClient sets the HTTP client; the default verifies TLS against the
// system roots and times out after DefaultTimeout.
func WithHTTPClient(h *http.Client) Option { return func(c *config) { c.httpClient = h } }

// WithCaller sets the whole caller (HTTP client and limiter), overriding
// WithHTTPClient and WithLimiter.
func WithCaller(caller *provider.Caller) Option { return func(c *config) { c.caller = caller } }

// WithLimiter sets the credential's limiter; nil means unlimited. The
// default is a limiter of its own at DefaultRate and DefaultBurst.
func WithLimiter(l *provider.Limiter) Option {
	return func(c *config) { c.limiter, c.limiterSet = l, true }
}

// WithTokenCache shares login tokens with other clients of the cache.
func WithTokenCache(t *TokenCache) Option { return func(c *config) { c.tokens = t } }

// WithOrderSettings sets what orders and reissues are placed with.
func WithOrderSettings(s OrderSettings) Option { return func(c *config) { c.settings = s } }

// WithClock replaces time.Now, for tests.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// New returns a client for one Openprovider API user.
func New(username, password string, opts ...Option) (*Client, error) {
	if username == "" || password == "" {
		return nil, &provider.AuthError{Err: errors.New("openprovider: a username and a password are required")}
	}
	cfg := config{baseURL: DefaultURL, now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	base, err := url.Parse(cfg.baseURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, &provider.PermanentError{Err: errors.New("openprovider: the API URL must be an http(s) URL")}
	}
	caller, err := cfg.buildCaller()
	if err != nil {
		return nil, err
	}
	if cfg.tokens == nil {
		cfg.tokens = NewTokenCache()
	}
	c := &Client{
		baseURL:  strings.TrimSuffix(cfg.baseURL, "/"),
		username: username,
		password: password,
		caller:   caller,
		settings: cfg.settings.withDefaults(),
		now:      cfg.now,
	}
	c.session = cfg.tokens.sessionFor(c.baseURL, username, password)
	return c, nil
}

func (cfg *config) buildCaller() (*provider.Caller, error) {
	if cfg.caller != nil {
		return cfg.caller, nil
	}
	hc := cfg.httpClient
	if hc == nil {
		var err error
		if hc, err = provider.NewHTTPClient(provider.HTTPOptions{Timeout: DefaultTimeout}); err != nil {
			return nil, err
		}
	}
	lim := cfg.limiter
	if !cfg.limiterSet {
		lim = provider.NewLimiter(DefaultRate, DefaultBurst)
	}
	return &provider.Caller{Provider: "openprovider", Client: hc, Limiter: lim}, nil
}

// Prepay takes the rate-limiter token of the next call made in ctx
// (provider.Caller.Prepay).
func (c *Client) Prepay(ctx context.Context) error {
	return c.caller.Prepay(ctx, "the next Openprovider call")
}

// Check verifies the credentials: a login when no token is cached, then a
// cheap authenticated read (one order of the list).
func (c *Client) Check(ctx context.Context) error {
	_, err := c.listOrders(ctx, url.Values{"limit": {"1"}, "offset": {"0"}})
	return err
}
