package openprovider

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider/fakeca"
	"github.com/certorder/certorder/internal/provider/openprovider/fake"
)

func TestConcurrentCallsShareOneLogin(t *testing.T) {
	srv, c, clock := setup(t)
	// A second client of the same credential shares the token cache.
	tokens := NewTokenCache()
	clients := []*Client{newClient(t, srv, clock, WithTokenCache(tokens)), newClient(t, srv, clock, WithTokenCache(tokens))}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Go(func() { errs <- clients[i%2].Check(context.Background()) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.Counts().Logins; n != 1 {
		t.Fatalf("%d logins for 20 concurrent calls, want 1", n)
	}
	// A client with its own cache logs in for itself.
	if err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := srv.Counts().Logins; n != 2 {
		t.Fatalf("%d logins, want 2", n)
	}
}

func TestLoginAgainAfterTokenExpired(t *testing.T) {
	srv, c, _ := setup(t)
	ctx := context.Background()
	if err := c.Check(ctx); err != nil {
		t.Fatal(err)
	}
	srv.ExpireTokens()
	if err := c.Check(ctx); err != nil {
		t.Fatalf("after the token expired: %v", err)
	}
	if got := srv.Counts().Logins; got != 2 {
		t.Fatalf("%d logins, want 2", got)
	}
	if got := srv.Calls()["GET /ssl/orders"]; got != 3 {
		t.Fatalf("%d list calls, want 3 (one refused, repeated once)", got)
	}
}

func TestLoginAgainOnlyOnce(t *testing.T) {
	srv, c, _ := setup(t)
	srv.Faults().Add(fakeca.Fault{Kind: fakeca.ServerError, Method: "GET", PathPrefix: "/v1beta/ssl/orders", Status: 401,
		Body: `{"code":196,"desc":"Authentication/Authorization Failed"}`})
	wantClass(t, c.Check(context.Background()), "auth")
	if got := srv.Counts().Logins; got != 2 {
		t.Fatalf("%d logins, want 2: one, then one more after the refusal", got)
	}
}

func TestTokenRefreshedBeforeItExpires(t *testing.T) {
	srv, c, clock := setup(t)
	ctx := context.Background()
	if err := c.Check(ctx); err != nil {
		t.Fatal(err)
	}
	clock.Add(23 * time.Hour)
	if err := c.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if got := srv.Counts().Logins; got != 1 {
		t.Fatalf("%d logins within a day, want 1", got)
	}
	clock.Add(2 * time.Hour)
	if err := c.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if got := srv.Counts().Logins; got != 2 {
		t.Fatalf("%d logins after a day, want 2 (tokens live 2 days)", got)
	}
}

func TestBadPasswordIsNotRetriedInALoop(t *testing.T) {
	srv := newFake(t, fake.Options{})
	clock := newClock()
	c, err := New(testUser, "wrong-password", WithBaseURL(srv.Start()), WithLimiter(nil), WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		err := c.Check(context.Background())
		wantClass(t, err, "auth")
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Code != codeBadCredentials || apiErr.StatusCode != 500 {
			t.Fatalf("error %v, want code 196 as HTTP 500", err)
		}
	}
	if got := srv.Counts().Logins; got != 1 {
		t.Fatalf("%d logins, want 1", got)
	}
	clock.Add(loginBackoff)
	wantClass(t, c.Check(context.Background()), "auth")
	if got := srv.Counts().Logins; got != 2 {
		t.Fatalf("%d logins after the backoff, want 2", got)
	}
}

func TestFailedLoginIsNotRememberedWhenTransient(t *testing.T) {
	srv, c, _ := setup(t)
	srv.Faults().Add(fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: "/v1beta/auth/login", Times: 1})
	wantClass(t, c.Check(context.Background()), "transient")
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("after a transient login fault: %v", err)
	}
}
