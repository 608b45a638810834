package digicert

import (
	"net/http"
	"time"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
)

// DefaultBaseURL is the public CertCentral Services API v2.
const DefaultBaseURL = "https://www.digicert.com/services/v2"

// DefaultTimeout bounds one call when no HTTP client is given.
const DefaultTimeout = 30 * time.Second

// Option configures a Client.
type Option func(*Client)

// WithBaseURL sets the Services API base, such as
// "https://certcentral.digicert.eu/services/v2". Default: DefaultBaseURL.
func WithBaseURL(u string) Option {
	return func(c *Client) { c.baseURL = u }
}

// WithHTTPClient sets the HTTP client (timeouts, CA bundle, proxy).
// Default: provider.NewHTTPClient with DefaultTimeout.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.caller.Client = hc }
}

// WithLimiter sets the limiter shared by every client of the API key.
// Default: none.
func WithLimiter(l *provider.Limiter) Option {
	return func(c *Client) { c.caller.Limiter = l }
}

// WithCaller replaces the HTTP client and the limiter with those of caller,
// shared with other clients of the same API key.
func WithCaller(caller *provider.Caller) Option {
	return func(c *Client) { c.caller = *caller }
}

// WithClock sets the clock used for Retry-After dates and order expiry.
func WithClock(now func() time.Time) Option {
	return func(c *Client) { c.now = now }
}

// WithIssuerSpec sets what new orders, reissues and duplicates ask for:
// product, organization, signature hash, validity and so on. Its URL is not
// read: use WithBaseURL. Defaults apply to empty fields (signature hash
// sha256, server platform -1, a one-year plan).
func WithIssuerSpec(spec *v1alpha1.DigiCertIssuerSpec) Option {
	return func(c *Client) { c.spec = withSpecDefaults(spec) }
}

// withSpecDefaults returns a copy of spec with the API server's defaults
// applied, since objects built in code or tests may lack them.
func withSpecDefaults(spec *v1alpha1.DigiCertIssuerSpec) v1alpha1.DigiCertIssuerSpec {
	out := *spec.DeepCopy()
	if out.URL == "" {
		out.URL = DefaultBaseURL
	}
	if out.SignatureHash == "" {
		out.SignatureHash = "sha256"
	}
	if out.ServerPlatformID == nil {
		other := int32(-1)
		out.ServerPlatformID = &other
	}
	if out.Renewal == "" {
		out.Renewal = v1alpha1.RenewalDuplicate
	}
	return out
}
