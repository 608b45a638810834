package openprovider

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/fakeca"
	"github.com/certorder/certorder/internal/provider/openprovider/fake"
)

// TestErrorClasses runs Check against every kind of failed answer: the
// login or the list call it makes misbehave.
func TestErrorClasses(t *testing.T) {
	const list, login = "/v1beta/ssl/orders", "/v1beta/auth/login"
	envelope := func(code int, desc, data string) string {
		return `{"code":` + strconv.Itoa(code) + `,"desc":"` + desc + `","data":"` + data + `"}`
	}
	tests := []struct {
		name  string
		fault fakeca.Fault
		setup func(*fake.Server)
		class string
		text  string
		// absent is text the error must not quote.
		absent string
		retry  time.Duration
	}{
		{name: "bad login as HTTP 200", class: "auth", text: "code 196",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: login, Status: 200, Body: envelope(196, "Authentication/Authorization Failed", "")}},
		{name: "maintenance", class: "transient", text: "maintenance", setup: func(s *fake.Server) { s.SetMaintenance(true) }},
		{name: "429 with Retry-After", class: "transient", retry: 7 * time.Second,
			fault: fakeca.Fault{Kind: fakeca.RateLimited, PathPrefix: list, RetryAfter: 7 * time.Second}},
		{name: "500 without a body", class: "transient", text: "HTTP 500",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list}},
		{name: "502 with an unknown code", class: "transient", text: "code 777",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list, Status: 502, Body: envelope(777, "Internal error", "")}},
		{name: "HTML with HTTP 200", class: "transient", text: "HTTP 200: the answer is not an Openprovider JSON envelope", absent: "gateway",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list, Status: 200, Body: "<html>gateway</html>"}},
		{name: "cloud metadata JSON", class: "transient", text: "not an Openprovider JSON envelope", absent: "AKIA",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list, Status: 200, Body: `{"Code":"Success","AccessKeyId":"AKIAEXAMPLE","SecretAccessKey":"s3cr3t"}`}},
		{name: "JSON with a code and a foreign key", class: "permanent", text: "HTTP 404: the answer is not an Openprovider JSON envelope", absent: "10.0.0.7",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list, Status: 404, Body: `{"code":1,"desc":"internal host 10.0.0.7","instance":"i-0abc"}`}},
		{name: "metadata text with HTTP 500", class: "transient", text: "HTTP 500", absent: "ami-id",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list, Status: 500, Body: "ami-id\nhostname\niam/security-credentials/role"}},
		{name: "validation error with HTTP 500", class: "permanent", text: "code 10001: Invalid request: period must be 1 or 2",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list, Status: 500, Body: envelope(10001, "Invalid request", "period must be 1 or 2")}},
		{name: "unknown product with HTTP 500", class: "permanent", text: "code 10004: Product not found",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list, Status: 500, Body: envelope(10004, "Product not found", "")}},
		{name: "unknown code with HTTP 500", class: "permanent", text: "code 123: Something else",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list, Status: 500, Body: envelope(123, "Something else", "")}},
		{name: "503 with an envelope", class: "transient", text: "code 1",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list, Status: 503, Body: envelope(1, "Internal error", "")}},
		{name: "truncated JSON", class: "transient", text: "not an Openprovider JSON envelope",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list, Status: 200, Body: `{"code":0,"data":{"resu`}},
		{name: "data of the wrong shape", class: "transient", text: "decoding",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list, Status: 200, Body: `{"code":0,"data":{"results":"none"}}`}},
		{name: "dropped connection", class: "transient", text: "GET /ssl/orders",
			fault: fakeca.Fault{Kind: fakeca.DropBeforeCommit, PathPrefix: list}},
		{name: "CA passthrough with HTTP 500", class: "permanent", text: "code 399: Error from CA: CAA forbids issuance",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list, Status: 500, Body: envelope(399, "Error from CA", "CAA forbids issuance")}},
		{name: "unknown code with HTTP 200", class: "permanent", text: "code 10123",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list, Status: 200, Body: envelope(10123, "Invalid parameter", "")}},
		{name: "404 without an envelope", class: "permanent", text: "HTTP 404",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list, Status: 404, Body: "404 page not found"}},
		{name: "403 without an envelope", class: "auth", text: "HTTP 403",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list, Status: 403, Body: "forbidden"}},
		{name: "calls limit", class: "auth", text: "code 50",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: login, Status: 200, Body: envelope(50, "Calls limit has been reached", "")}},
		{name: "temporary block", class: "auth", text: "code 4007",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list, Status: 403, Body: envelope(4007, "Temporary blocked", "")}},
		{name: "IP blocked", class: "auth", text: "code 10005",
			fault: fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: list, Status: 200, Body: envelope(10005, "Access denied", "")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c, _ := setup(t)
			if tt.setup != nil {
				tt.setup(srv)
			}
			if tt.fault.Kind != 0 {
				srv.Faults().Add(tt.fault)
			}
			err := c.Check(context.Background())
			wantClass(t, err, tt.class)
			if !strings.Contains(err.Error(), tt.text) {
				t.Errorf("error %q does not say %q", err, tt.text)
			}
			if tt.absent != "" && strings.Contains(err.Error(), tt.absent) {
				t.Errorf("error %q quotes %q of a body that is not Openprovider's", err, tt.absent)
			}
			var transient *provider.TransientError
			if errors.As(err, &transient) && transient.RetryAfter != tt.retry {
				t.Errorf("RetryAfter %s, want %s", transient.RetryAfter, tt.retry)
			}
		})
	}
}

func TestSlowAnswerTimesOut(t *testing.T) {
	srv, _, clock := setup(t)
	c := newClient(t, srv, clock, WithHTTPClient(&http.Client{Timeout: 100 * time.Millisecond}))
	srv.Faults().Add(fakeca.Fault{Kind: fakeca.Slow, PathPrefix: "/v1beta/ssl/orders", Delay: time.Minute})
	wantClass(t, c.Check(context.Background()), "transient")
}

func TestBlockStopsAllTrafficOfTheCredential(t *testing.T) {
	srv := newFake(t, fake.Options{IdenticalCallLimit: 2})
	clock := newClock()
	c := newClient(t, srv, clock)
	other := newClient(t, srv, clock, WithTokenCache(NewTokenCache()))
	ctx := context.Background()
	for range 2 {
		if err := c.Check(ctx); err != nil {
			t.Fatal(err)
		}
	}
	err := c.Check(ctx)
	var blocked *BlockedError
	if !errors.As(err, &blocked) || blocked.API.Code != codeIPBlocked {
		t.Fatalf("third identical call: %v, want code 10005", err)
	}
	wantClass(t, err, "auth")
	calls := srv.Calls()
	for range 3 {
		err := c.Check(ctx)
		wantClass(t, err, "auth")
		if !strings.Contains(err.Error(), "refused locally") || !strings.Contains(err.Error(), "10005") {
			t.Fatalf("error %q does not say the call was refused locally after code 10005", err)
		}
	}
	if got := srv.Calls(); got["GET /ssl/orders"] != calls["GET /ssl/orders"] {
		t.Fatalf("calls went out during the block: %v, before %v", got, calls)
	}
	// Another credential (here: another token cache) is not held back.
	wantClass(t, other.Check(ctx), "auth")
	srv.Unblock()
	clock.Add(time.Hour)
	if err := c.Check(ctx); err != nil {
		t.Fatalf("after the cool-down: %v", err)
	}
}

func TestBlockedLoginStopsTraffic(t *testing.T) {
	srv := newFake(t, fake.Options{FailedLoginLimit: 1})
	clock := newClock()
	bad, err := New(testUser, "wrong", WithBaseURL(srv.Start()), WithLimiter(nil), WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	wantClass(t, bad.Check(context.Background()), "auth")
	clock.Add(loginBackoff)
	err = bad.Check(context.Background())
	var blocked *BlockedError
	if !errors.As(err, &blocked) || blocked.API.Code != codeCallsLimit {
		t.Fatalf("second failed login: %v, want code 50", err)
	}
	clock.Add(loginBackoff)
	wantClass(t, bad.Check(context.Background()), "auth")
	if got := srv.Counts().Logins; got != 2 {
		t.Fatalf("%d logins, want 2: none during the 20 minute block", got)
	}
}
