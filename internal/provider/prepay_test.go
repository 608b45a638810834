package provider_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/certorder/certorder/internal/provider"
)

// Prepay takes the token of a unit's next call ahead of it: that call then
// takes none, and a unit whose limiter has no room learns so before
// anything is sent.
func TestPrepay(t *testing.T) {
	srv, calls := countingServer(t)
	for _, tc := range []struct {
		name string
		// burst is the limiter's tokens at the start; one comes each hour.
		burst int
		// deferrable marks the context as one unit of work.
		deferrable bool
		// callsAfter are the unit's calls after Prepay.
		callsAfter  int
		wantNotSent bool
		// wantLeft are the tokens left after Prepay and the calls.
		wantLeft int
	}{
		{name: "the prepaid token serves the next call", burst: 2, deferrable: true, callsAfter: 1, wantLeft: 1},
		{name: "no room: not sent, nothing spent", burst: 0, deferrable: true, wantNotSent: true, wantLeft: 0},
		{name: "outside a unit of work it takes nothing", burst: 2, callsAfter: 1, wantLeft: 1},
		{name: "only the next call is prepaid", burst: 3, deferrable: true, callsAfter: 2, wantLeft: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lim := provider.NewLimiter(rate.Every(time.Hour), max(tc.burst, 1))
			if tc.burst == 0 {
				lim.Allow()
			}
			c := &provider.Caller{Provider: "test", Client: srv.Client(), Limiter: lim}
			ctx := context.Background()
			if tc.deferrable {
				ctx = provider.Deferrable(ctx)
			}
			send := func() error {
				req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
				_, err := c.Send(ctx, "GET /", req)
				return err
			}
			calls.Store(0)
			err := c.Prepay(ctx, "the call")
			if got := errors.Is(err, provider.ErrNotSent); got != tc.wantNotSent {
				t.Fatalf("Prepay: %v, want ErrNotSent %v", err, tc.wantNotSent)
			}
			if n := calls.Load(); n != 0 {
				t.Errorf("Prepay sent %d calls", n)
			}
			for i := range tc.callsAfter {
				if err := send(); err != nil {
					t.Fatalf("call %d after Prepay: %v", i+1, err)
				}
			}
			if left := int(lim.TokensAt(time.Now())); left != tc.wantLeft {
				t.Errorf("%d tokens left, want %d", left, tc.wantLeft)
			}
		})
	}
}
