package openprovider

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/fakeca"
	"github.com/certorder/certorder/internal/provider/openprovider/fake"
	tu "github.com/certorder/certorder/internal/testutil"
)

// TestNoSecretsInLogsOrErrors runs a busy life (logins, a refused token, an
// order, failures, a bad password) logging at the highest verbosity, and
// looks for the credentials and tokens in every line and error.
func TestNoSecretsInLogsOrErrors(t *testing.T) {
	ctx, logs := tu.CaptureLogs(context.Background())

	srv := newFake(t, fake.Options{})
	rec := &recorder{}
	clock := newClock()
	c := newClient(t, srv, clock, WithHTTPClient(&http.Client{Transport: rec}))
	bad, err := New(testUser, "wrong-"+testPassword, WithBaseURL(srv.Start()), WithLimiter(nil), WithHTTPClient(&http.Client{Transport: rec}))
	if err != nil {
		t.Fatal(err)
	}
	var errs []error
	keep := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	req := newRequest(t, "example.com", "example.com")
	st, err := c.Submit(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	srv.ExpireTokens()
	_, err = c.Poll(ctx, provider.PollRequest{Action: req.Action, Handle: st.Handle, CSR: req.CSR})
	keep(err)
	srv.Faults().Add(fakeca.Fault{Kind: fakeca.ServerError, PathPrefix: "/v1beta/ssl/orders", Times: 1, Status: 200, Body: `{"code":399,"desc":"Error from CA","data":"x"}`})
	keep(c.Check(ctx))
	srv.Faults().Add(fakeca.Fault{Kind: fakeca.DropBeforeCommit, PathPrefix: "/v1beta/auth/login", Times: 1})
	keep(newClient(t, srv, clock, WithTokenCache(NewTokenCache())).Check(ctx))
	keep(bad.Check(ctx))
	keep(bad.Check(ctx))
	if len(errs) < 3 {
		t.Fatalf("want the failures to show, got %v", errs)
	}

	tokens := rec.seenTokens()
	if len(tokens) == 0 || srv.Counts().Logins < 3 {
		t.Fatalf("the scenario did not log in and call enough: %d tokens, %+v", len(tokens), srv.Counts())
	}
	secrets := append([]string{testUser, testPassword}, tokens...)
	texts := []string{logs()}
	for _, err := range errs {
		texts = append(texts, err.Error())
	}
	for _, text := range texts {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%q leaks a secret:\n%s", s, text)
			}
		}
	}
	if !strings.Contains(logs(), `"endpoint"="GET /ssl/orders/{id}"`) {
		t.Fatalf("calls are not logged at V(1):\n%s", logs())
	}
}
