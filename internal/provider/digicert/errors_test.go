package digicert_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/digicert"
	"github.com/certorder/certorder/internal/provider/digicert/fake"
	"github.com/certorder/certorder/internal/provider/fakeca"
)

func TestErrorClasses(t *testing.T) {
	const permissionBody = `{"errors":[{"code":"access_denied|missing_permission","message":"Permission denied."}]}`
	submit := func(ctx context.Context, c *digicert.Client, csr []byte) error {
		_, err := c.Submit(ctx, request(provider.ActionOrder, "", csr, "app.example.com"))
		return err
	}
	check := func(ctx context.Context, c *digicert.Client, _ []byte) error { return c.Check(ctx) }
	order := func(ctx context.Context, c *digicert.Client, _ []byte) error {
		_, err := c.Order(ctx, "100001")
		return err
	}
	tests := []struct {
		name  string
		opts  fake.Options
		fault *fakeca.Fault
		// key and timeout override the client's.
		key     string
		timeout time.Duration
		csr     string
		call    func(context.Context, *digicert.Client, []byte) error
		class   func(error) bool
		status  int
		code    string
		// retryAfter is the Retry-After a transient error must carry; -1
		// only asks for a positive one.
		retryAfter time.Duration
		// message is expected in the error text.
		message string
	}{
		{name: "401 wrong key", key: "not-the-key", call: check, class: isAuth, status: 401, code: "access_denied|invalid_api_key"},
		{name: "403 missing permission on the check", fault: &fakeca.Fault{Kind: fakeca.ServerError, Status: 403, Body: permissionBody}, call: check, class: isAuth, status: 403, code: "access_denied|missing_permission"},
		{name: "403 missing permission on an order", fault: &fakeca.Fault{Kind: fakeca.ServerError, Status: 403, Body: permissionBody}, call: submit, class: isPermanent, status: 403, code: "access_denied|missing_permission", message: "Permission denied."},
		{name: "403 invalid approver", fault: &fakeca.Fault{Kind: fakeca.ServerError, Status: 403, Body: `{"errors":[{"code":"access_denied|invalid_approver","message":"You may not approve this request."}]}`}, call: order, class: isPermanent, status: 403, code: "access_denied|invalid_approver", message: "You may not approve this request."},
		{name: "404 product", opts: fake.Options{Products: []string{"ssl_plus"}}, call: submit, class: isPermanent, status: 404, code: "not_found|product"},
		{name: "404 order", call: order, class: isPermanent, status: 404, code: "not_found|order"},
		{name: "400 CSR", csr: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n", call: submit, class: isPermanent, status: 400, code: "csr_invalid_cannot_parse"},
		{
			name:  "429 with Retry-After",
			fault: &fakeca.Fault{Kind: fakeca.RateLimited, RetryAfter: 7 * time.Second, Body: `{"errors":[{"code":"request_limit_exceeded","message":"Service unavailable, please limit request volume"}]}`},
			call:  submit, class: isTransient, status: 429, code: "request_limit_exceeded", retryAfter: 7 * time.Second,
		},
		{name: "429 from the account's limit", opts: fake.Options{RateLimits: []fake.RateLimit{{Requests: 0, Window: time.Hour}}}, call: check, class: isTransient, status: 429, code: "request_limit_exceeded", retryAfter: -1},
		{name: "500", fault: &fakeca.Fault{Kind: fakeca.ServerError, Body: `{"errors":[{"code":"internal_error","message":"Oops"}]}`}, call: check, class: isTransient, status: 500, code: "internal_error"},
		{name: "502 HTML", fault: &fakeca.Fault{Kind: fakeca.ServerError, Status: 502, Body: "<html>Bad Gateway</html>"}, call: check, class: isTransient, status: 502, message: "is not a CertCentral error"},
		{name: "500 truncated JSON", fault: &fakeca.Fault{Kind: fakeca.ServerError, Body: `{"errors":[{"code":"inter`}, call: check, class: isTransient, status: 500, message: "is not a CertCentral error"},
		{name: "400 not JSON", fault: &fakeca.Fault{Kind: fakeca.ServerError, Status: 400, Body: "oops"}, call: submit, class: isPermanent, status: 400, message: "is not a CertCentral error"},
		{name: "200 not JSON", fault: &fakeca.Fault{Kind: fakeca.ServerError, Status: 200, Body: "<html>maintenance</html>"}, call: order, class: isTransient, message: "not the expected JSON"},
		{name: "dropped connection", fault: &fakeca.Fault{Kind: fakeca.DropBeforeCommit}, call: submit, class: isTransient},
		{name: "slow past the timeout", fault: &fakeca.Fault{Kind: fakeca.Slow, Delay: time.Minute}, timeout: 50 * time.Millisecond, call: check, class: isTransient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []digicert.Option
			if tt.timeout > 0 {
				opts = append(opts, digicert.WithHTTPClient(&http.Client{Timeout: tt.timeout}))
			}
			e := newEnv(t, tt.opts, opts...)
			c := e.client
			if tt.key != "" {
				var err error
				if c, err = digicert.New(tt.key, digicert.WithBaseURL(e.url)); err != nil {
					t.Fatal(err)
				}
			}
			if tt.fault != nil {
				e.fake.Faults().Add(*tt.fault)
			}
			csr := newCSR(t, "app.example.com")
			if tt.csr != "" {
				csr = []byte(tt.csr)
			}
			err := tt.call(context.Background(), c, csr)
			if err == nil || !tt.class(err) {
				t.Fatalf("error %v (%T) is not of the expected class", err, err)
			}
			if strings.Contains(err.Error(), testKey) || (tt.key != "" && strings.Contains(err.Error(), tt.key)) {
				t.Fatalf("the API key leaked into %q", err)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Fatalf("error %q lacks %q", err, tt.message)
			}
			var apiErr *digicert.APIError
			if tt.status != 0 && (!errors.As(err, &apiErr) || apiErr.StatusCode != tt.status || apiErr.Code != tt.code) {
				t.Fatalf("error %v, want HTTP %d code %q", err, tt.status, tt.code)
			}
			var te *provider.TransientError
			if errors.As(err, &te) && ((tt.retryAfter > 0 && te.RetryAfter != tt.retryAfter) || (tt.retryAfter < 0 && te.RetryAfter <= 0)) {
				t.Fatalf("RetryAfter %v, want %v", te.RetryAfter, tt.retryAfter)
			}
			if e.fake.Counts().Orders != 0 {
				t.Fatal("an order was placed")
			}
		})
	}
}

// A 403 refuses one call, not the key: it is not an AuthError, so the
// issuer stays Ready.
func TestForbiddenCallIsNotAnAuthError(t *testing.T) {
	e := newEnv(t, fake.Options{})
	e.fake.Faults().Add(fakeca.Fault{Kind: fakeca.ServerError, Status: 403, Method: "POST", Body: `{"errors":[{"code":"access_denied|missing_permission","message":"Permission denied."}]}`})
	_, err := e.client.Submit(context.Background(), request(provider.ActionOrder, "", newCSR(t, "a.example.com"), "a.example.com"))
	if isAuth(err) || !isPermanent(err) {
		t.Fatalf("error %v (%T), want permanent and not auth", err, err)
	}
	if err := e.client.Check(context.Background()); err != nil {
		t.Fatalf("Check after a refused call: %v", err)
	}
}

// CertCentral's text is capped, and never read as a format string.
func TestErrorTextIsCappedAndVerbatim(t *testing.T) {
	e := newEnv(t, fake.Options{})
	long := "%s%d%v%!" + strings.Repeat("é", 4000)
	e.fake.Faults().Add(fakeca.Fault{Kind: fakeca.ServerError, Status: 400, Body: `{"errors":[{"code":"bad","message":"` + long + `"}]}`})
	_, err := e.client.Order(context.Background(), "100001")
	var apiErr *digicert.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v", err)
	}
	if len(apiErr.Message) > 520 || !utf8.ValidString(apiErr.Message) || !strings.HasPrefix(apiErr.Message, "%s%d%v%!é") {
		t.Fatalf("message of %d bytes: %.40q", len(apiErr.Message), apiErr.Message)
	}
	if len(err.Error()) > 700 || strings.Contains(err.Error(), "%!s(") || strings.Contains(err.Error(), "MISSING") {
		t.Fatalf("error text of %d bytes: %.80q", len(err.Error()), err.Error())
	}
}

func TestPostIsNeverRetried(t *testing.T) {
	e := newEnv(t, fake.Options{})
	e.fake.Faults().Add(fakeca.Fault{Kind: fakeca.DropBeforeCommit, Method: "POST", Times: 1})
	_, err := e.client.Submit(context.Background(), request(provider.ActionOrder, "", newCSR(t, "a.example.com"), "a.example.com"))
	if !isTransient(err) {
		t.Fatalf("error %v, want transient", err)
	}
	if n := e.fake.Counts().Orders; n != 0 {
		t.Fatalf("the POST was retried: %d orders", n)
	}
}
