package metricsauth_test

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"
	authzv1 "k8s.io/api/authorization/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/certorder/certorder/internal/metricsauth"
)

func TestFilterAnswers(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		auth                 string
		failTokens, failSARs bool
		want                 int
		// TokenReviews and SubjectAccessReviews the request costs.
		wantTokenReviews, wantAccessReviews int
	}{
		{name: "no header", want: http.StatusUnauthorized},
		{name: "basic scheme", auth: "Basic cmVhZGVyOnB3", want: http.StatusUnauthorized},
		{name: "scheme only", auth: "Bearer", want: http.StatusUnauthorized},
		{name: "empty token", auth: "Bearer  reader-token", want: http.StatusUnauthorized},
		{name: "unauthenticated", auth: "Bearer forged", want: http.StatusUnauthorized, wantTokenReviews: 1},
		{name: "denied", auth: "Bearer stranger-token", want: http.StatusForbidden, wantTokenReviews: 1, wantAccessReviews: 1},
		{name: "allowed", auth: "Bearer reader-token", want: http.StatusOK, wantTokenReviews: 1, wantAccessReviews: 1},
		{name: "scheme case-insensitive", auth: "bearer reader-token", want: http.StatusOK, wantTokenReviews: 1, wantAccessReviews: 1},
		{name: "TokenReview error", auth: "Bearer reader-token", failTokens: true, want: http.StatusInternalServerError, wantTokenReviews: 1},
		{name: "SubjectAccessReview error", auth: "Bearer reader-token", failSARs: true, want: http.StatusInternalServerError, wantTokenReviews: 1, wantAccessReviews: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := newFakeAPI()
			api.failTokens, api.failAccess = tc.failTokens, tc.failSARs
			h := serve(t, api, metricsauth.Options{}, logr.Discard())
			if got := do(h, http.MethodGet, "/metrics", tc.auth); got != tc.want {
				t.Errorf("got %d, want %d", got, tc.want)
			}
			if tr, sar := api.calls(); tr != tc.wantTokenReviews || sar != tc.wantAccessReviews {
				t.Errorf("%d TokenReviews and %d SubjectAccessReviews, want %d and %d", tr, sar, tc.wantTokenReviews, tc.wantAccessReviews)
			}
		})
	}
}

// The SubjectAccessReview carries the user as the TokenReview returned it,
// with system:authenticated added, and the request as a non-resource
// request: the path, and the lower-cased HTTP method as the verb, as the
// API server authorizes its own non-resource URLs.
func TestFilterAccessReview(t *testing.T) {
	for _, tc := range []struct {
		method, path string
		wantVerb     string
	}{
		{http.MethodGet, "/metrics", "get"},
		{http.MethodHead, "/metrics", "head"},
		{http.MethodPost, "/metrics", "post"},
		{http.MethodGet, "/metrics/extra", "get"},
	} {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			api := newFakeAPI()
			h := serve(t, api, metricsauth.Options{}, logr.Discard())
			do(h, tc.method, tc.path, "Bearer reader-token")
			want := authzv1.SubjectAccessReviewSpec{
				NonResourceAttributes: &authzv1.NonResourceAttributes{Path: tc.path, Verb: tc.wantVerb},
				User:                  "reader",
				UID:                   "uid-1",
				Groups:                []string{"monitoring", "system:authenticated"},
				Extra:                 map[string]authzv1.ExtraValue{"scope": {"a", "b"}},
			}
			if got := api.last(); !reflect.DeepEqual(got, want) {
				t.Errorf("SubjectAccessReview spec\n got %+v\nwant %+v", got, want)
			}
		})
	}
	t.Run("group already present", func(t *testing.T) {
		api := newFakeAPI()
		h := serve(t, api, metricsauth.Options{}, logr.Discard())
		do(h, http.MethodGet, "/metrics", "Bearer stranger-token")
		if got, want := api.last().Groups, []string{"system:authenticated"}; !reflect.DeepEqual(got, want) {
			t.Errorf("groups %v, want %v", got, want)
		}
	})
}

// Each answer is reused for its TTL and no longer; an error is not reused.
func TestFilterCaches(t *testing.T) {
	type step struct {
		after     time.Duration // clock step before the request
		auth      string
		failSARs  bool
		want      int
		wantCalls [2]int // TokenReviews and SubjectAccessReviews so far
	}
	for _, tc := range []struct {
		name  string
		steps []step
	}{{
		name: "allowed: token for 1 min, decision for 5 min",
		steps: []step{
			{auth: "Bearer reader-token", want: 200, wantCalls: [2]int{1, 1}},
			{after: 59 * time.Second, auth: "Bearer reader-token", want: 200, wantCalls: [2]int{1, 1}},
			{after: 2 * time.Second, auth: "Bearer reader-token", want: 200, wantCalls: [2]int{2, 1}},
			{after: 5*time.Minute - 61*time.Second, auth: "Bearer reader-token", want: 200, wantCalls: [2]int{3, 1}},
			{after: 2 * time.Second, auth: "Bearer reader-token", want: 200, wantCalls: [2]int{3, 2}},
		},
	}, {
		name: "denied: decision for 30 s",
		steps: []step{
			{auth: "Bearer stranger-token", want: 403, wantCalls: [2]int{1, 1}},
			{after: 29 * time.Second, auth: "Bearer stranger-token", want: 403, wantCalls: [2]int{1, 1}},
			{after: 2 * time.Second, auth: "Bearer stranger-token", want: 403, wantCalls: [2]int{1, 2}},
		},
	}, {
		name: "unauthenticated: for 1 min",
		steps: []step{
			{auth: "Bearer forged", want: 401, wantCalls: [2]int{1, 0}},
			{after: 59 * time.Second, auth: "Bearer forged", want: 401, wantCalls: [2]int{1, 0}},
			{after: 2 * time.Second, auth: "Bearer forged", want: 401, wantCalls: [2]int{2, 0}},
		},
	}, {
		name: "an error is not cached",
		steps: []step{
			{auth: "Bearer reader-token", failSARs: true, want: 500, wantCalls: [2]int{1, 1}},
			{auth: "Bearer reader-token", want: 200, wantCalls: [2]int{1, 2}},
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			api := newFakeAPI()
			clock := clocktesting.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
			h := serve(t, api, metricsauth.Options{Clock: clock}, logr.Discard())
			for i, s := range tc.steps {
				clock.Step(s.after)
				api.set(func(f *fakeAPI) { f.failAccess = s.failSARs })
				if got := do(h, http.MethodGet, "/metrics", s.auth); got != s.want {
					t.Errorf("step %d: got %d, want %d", i, got, s.want)
				}
				if tr, sar := api.calls(); [2]int{tr, sar} != s.wantCalls {
					t.Errorf("step %d: %d TokenReviews and %d SubjectAccessReviews, want %v", i, tr, sar, s.wantCalls)
				}
			}
		})
	}
}

// A flood of distinct tokens evicts the oldest: the caches never hold more
// than CacheSize answers each.
func TestFilterCacheBound(t *testing.T) {
	const size = 4
	api := newFakeAPI()
	for i := range size {
		api.users[fmt.Sprint("token-", i)] = api.users["reader-token"]
	}
	h := serve(t, api, metricsauth.Options{CacheSize: size}, logr.Discard())
	do(h, http.MethodGet, "/metrics", "Bearer reader-token")
	for i := range size - 1 {
		do(h, http.MethodGet, "/metrics", fmt.Sprint("Bearer token-", i))
	}
	do(h, http.MethodGet, "/metrics", "Bearer reader-token") // a hit, and now the most recently used
	if tr, _ := api.calls(); tr != size {
		t.Fatalf("%d TokenReviews for %d tokens in a cache of %d, want %d", tr, size, size, size)
	}
	do(h, http.MethodGet, "/metrics", fmt.Sprint("Bearer token-", size-1)) // evicts token-0
	do(h, http.MethodGet, "/metrics", "Bearer token-0")
	if tr, _ := api.calls(); tr != size+2 {
		t.Errorf("%d TokenReviews, want %d: the fifth token should have evicted the least recently used", tr, size+2)
	}
}

// Neither failures nor denials log the token.
func TestFilterNeverLogsToken(t *testing.T) {
	var logs strings.Builder
	log := funcr.New(func(prefix, args string) { logs.WriteString(prefix + args + "\n") }, funcr.Options{Verbosity: 10})
	api := newFakeAPI()
	h := serve(t, api, metricsauth.Options{}, log)
	do(h, http.MethodGet, "/metrics", "Bearer forged")
	do(h, http.MethodGet, "/metrics", "Bearer stranger-token")
	api.set(func(f *fakeAPI) { f.failTokens = true })
	do(h, http.MethodGet, "/metrics", "Bearer reader-token")
	out := logs.String()
	if !strings.Contains(out, "Authorization denied") || !strings.Contains(out, "Authentication failed") {
		t.Errorf("logs lack the failures:\n%s", out)
	}
	for _, token := range []string{"forged", "stranger-token", "reader-token"} {
		if strings.Contains(out, token) {
			t.Errorf("logs contain the token %q:\n%s", token, out)
		}
	}
}
