package digicert

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/log"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
)

// Route templates of the CertCentral calls: the endpoint names of logs and
// metrics, and the method of each call.
const (
	epUserMe         = "GET /user/me"
	epOrderCreate    = "POST /order/certificate/{product_name_id}"
	epOrderInfo      = "GET /order/certificate/{order_id}"
	epOrderList      = "GET /order/certificate"
	epReissue        = "POST /order/certificate/{order_id}/reissue"
	epReissueList    = "GET /order/certificate/{order_id}/reissue"
	epDuplicate      = "POST /order/certificate/{order_id}/duplicate"
	epDuplicateList  = "GET /order/certificate/{order_id}/duplicate"
	epRequestInfo    = "GET /request/{request_id}"
	epDownload       = "GET /certificate/{certificate_id}/download/format/{format}"
	epDCVRandomValue = "PUT /order/certificate/{order_id}/dcv-random-value"
)

// Client is one CertCentral API key with the settings of one issuer. It
// implements provider.Provider and is safe for concurrent use.
type Client struct {
	apiKey  string
	baseURL string
	caller  provider.Caller
	now     func() time.Time
	spec    v1alpha1.DigiCertIssuerSpec
}

var _ provider.Provider = (*Client)(nil)

// New returns a client of the API key.
func New(apiKey string, opts ...Option) (*Client, error) {
	if strings.TrimSpace(apiKey) == "" {
		return nil, errors.New("a CertCentral API key is required")
	}
	c := &Client{
		apiKey:  apiKey,
		baseURL: DefaultBaseURL,
		caller:  provider.Caller{Provider: "digicert"},
		now:     time.Now,
		spec:    withSpecDefaults(&v1alpha1.DigiCertIssuerSpec{}),
	}
	for _, o := range opts {
		o(c)
	}
	u, err := url.Parse(c.baseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("the CertCentral URL %q is not an http(s) URL", c.baseURL)
	}
	c.baseURL = strings.TrimSuffix(c.baseURL, "/")
	if c.caller.Client == nil {
		hc, err := provider.NewHTTPClient(provider.HTTPOptions{Timeout: DefaultTimeout})
		if err != nil {
			return nil, err
		}
		c.caller.Client = hc
	}
	return c, nil
}

// Check verifies the API key with GET /user/me: it alone decides whether
// the issuer is Ready. A 401 or a 403 here means the key cannot even read
// its own user, so both are *provider.AuthError; elsewhere a 403 only
// refuses the one call.
func (c *Client) Check(ctx context.Context) error {
	_, err := c.do(ctx, call{endpoint: epUserMe, path: "/user/me"})
	var apiErr *APIError
	if errors.As(err, &apiErr) && (apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden) {
		return &provider.AuthError{Err: fmt.Errorf("%s: %w", epUserMe, apiErr)}
	}
	return err
}

// Prepay takes the rate-limiter token of the next call made in ctx
// (provider.Caller.Prepay).
func (c *Client) Prepay(ctx context.Context) error {
	return c.caller.Prepay(ctx, "the next CertCentral call")
}

// call is one request to CertCentral.
type call struct {
	// endpoint is the route template; its first word is the method.
	endpoint string
	// path is below the base URL, with the ids filled in.
	path  string
	query url.Values
	// body is sent as JSON when not nil.
	body any
	// accept is the media type asked for; empty means application/json.
	accept string
	// logKV are extra keys for the debug log: ids, never secrets or CSRs.
	logKV []any
}

// do sends one call and classifies the answer; the response is only
// returned on 2xx.
func (c *Client) do(ctx context.Context, cl call) (*provider.Response, error) {
	method, _, _ := strings.Cut(cl.endpoint, " ")
	var body bytes.Buffer
	if cl.body != nil {
		if err := json.NewEncoder(&body).Encode(cl.body); err != nil {
			return nil, fmt.Errorf("%s: encoding the request: %w", cl.endpoint, err)
		}
	}
	target := c.baseURL + cl.path
	if len(cl.query) > 0 {
		target += "?" + cl.query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, target, &body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cl.endpoint, err)
	}
	req.Header.Set("X-DC-DEVKEY", c.apiKey)
	req.Header.Set("Content-Type", "application/json")
	accept := cl.accept
	if accept == "" {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept)

	logger := log.FromContext(ctx).V(1).WithValues(append([]any{"endpoint", cl.endpoint}, cl.logKV...)...)
	resp, err := c.caller.Send(ctx, cl.endpoint, req)
	if err != nil {
		logger.Info("CertCentral call failed", "error", err.Error())
		return nil, err
	}
	logger.Info("CertCentral call", "status", resp.StatusCode)
	if err := classify(cl.endpoint, resp, c.now()); err != nil {
		return nil, err
	}
	return resp, nil
}

// doJSON sends one call and decodes its JSON answer into out.
func (c *Client) doJSON(ctx context.Context, cl call, out any) error {
	resp, err := c.do(ctx, cl)
	if err != nil {
		return err
	}
	return decodeJSON(cl.endpoint, resp.Body, out)
}

// parseID checks that a handle or request field is a CertCentral id before
// it is put in a path.
func parseID(what, s string) (ID, error) {
	var id ID
	if err := id.UnmarshalJSON([]byte(s)); err != nil || id <= 0 {
		return 0, permanentf("%s %q is not a CertCentral id", what, s)
	}
	return id, nil
}

func idString(id ID) string {
	if id <= 0 {
		return ""
	}
	return id.String()
}
