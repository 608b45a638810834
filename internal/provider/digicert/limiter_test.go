package digicert_test

import (
	"context"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/digicert"
	"github.com/certorder/certorder/internal/provider/digicert/fake"
)

// The limiter is asserted by counting: a limiter that refills once an hour
// lets its burst through, and every later call fails at once since its
// wait would pass the context's deadline (provider.Caller).
func TestLimiterBoundsRequests(t *testing.T) {
	e := newEnv(t, fake.Options{}, digicert.WithLimiter(provider.NewLimiter(rate.Every(time.Hour), 3)))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ok, limited := 0, 0
	for range 10 {
		switch err := e.client.Check(ctx); {
		case err == nil:
			ok++
		case isTransient(err):
			limited++
		default:
			t.Fatalf("Check: %v", err)
		}
	}
	if ok != 3 || limited != 7 {
		t.Fatalf("%d calls passed and %d were limited, want 3 and 7", ok, limited)
	}
	if n := e.fake.Calls()["GET /user/me"]; n != 3 {
		t.Fatalf("the fake served %d calls, want 3", n)
	}
}
