package metricsauth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	authnv1 "k8s.io/api/authentication/v1"
	authzv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/cache"
)

// How long an answer of the API server is reused: what controller-runtime's
// filter configures k8s.io/apiserver's delegating authenticator (one TTL for
// tokens, authenticated or not) and authorizer with. Errors are not cached.
const (
	TokenTTL = time.Minute
	AllowTTL = 5 * time.Minute
	DenyTTL  = 30 * time.Second
	// DefaultCacheSize bounds each of the two caches (tokens, decisions),
	// so a flood of random tokens cannot grow memory without limit.
	DefaultCacheSize = 1024
	// reviewTimeout bounds one TokenReview or SubjectAccessReview, as
	// controller-runtime bounds the TokenReview.
	reviewTimeout = 10 * time.Second
)

// TokenReviewer creates TokenReviews: client-go's typed
// authentication/v1 TokenReviewInterface.
type TokenReviewer interface {
	Create(ctx context.Context, review *authnv1.TokenReview, opts metav1.CreateOptions) (*authnv1.TokenReview, error)
}

// AccessReviewer creates SubjectAccessReviews: client-go's typed
// authorization/v1 SubjectAccessReviewInterface.
type AccessReviewer interface {
	Create(ctx context.Context, review *authzv1.SubjectAccessReview, opts metav1.CreateOptions) (*authzv1.SubjectAccessReview, error)
}

// Options tune a Reviewer; the zero value is the production setting.
type Options struct {
	// Clock drives the caches' expiry; nil is the wall clock.
	Clock cache.Clock
	// CacheSize bounds each cache; 0 is DefaultCacheSize.
	CacheSize int
}

// Reviewer asks the API server who holds a token and whether that user may
// make a non-resource request, and caches both answers.
type Reviewer struct {
	tokens TokenReviewer
	access AccessReviewer
	// key keys the HMAC that names a token in the cache, so neither the
	// token nor an unsalted hash of it is kept in memory.
	key []byte
	// users maps a token's HMAC to its *authnv1.UserInfo, or to nil when
	// the API server did not authenticate it.
	users *cache.LRUExpireCache
	// decisions maps a hash of a SubjectAccessReview's spec to its
	// decision.
	decisions *cache.LRUExpireCache
}

// NewReviewer returns a Reviewer that calls tokens and access.
func NewReviewer(tokens TokenReviewer, access AccessReviewer, opts Options) *Reviewer {
	clock := opts.Clock
	if clock == nil {
		clock = wallClock{}
	}
	size := opts.CacheSize
	if size <= 0 {
		size = DefaultCacheSize
	}
	key := make([]byte, sha256.Size)
	_, _ = rand.Read(key) // never fails: crypto/rand.Read
	return &Reviewer{
		tokens:    tokens,
		access:    access,
		key:       key,
		users:     cache.NewLRUExpireCacheWithClock(size, clock),
		decisions: cache.NewLRUExpireCacheWithClock(size, clock),
	}
}

// Authenticate returns the user the API server says holds token, nil if it
// does not authenticate the token, or the API's error.
func (r *Reviewer) Authenticate(ctx context.Context, token string) (*authnv1.UserInfo, error) {
	mac := hmac.New(sha256.New, r.key)
	mac.Write([]byte(token))
	id := string(mac.Sum(nil))
	if cached, ok := r.users.Get(id); ok {
		return cached.(*authnv1.UserInfo), nil
	}
	ctx, cancel := context.WithTimeout(ctx, reviewTimeout)
	defer cancel()
	review, err := r.tokens.Create(ctx, &authnv1.TokenReview{Spec: authnv1.TokenReviewSpec{Token: token}}, metav1.CreateOptions{})
	if err != nil {
		return nil, fmt.Errorf("creating a TokenReview: %w", err)
	}
	var user *authnv1.UserInfo
	if review.Status.Authenticated {
		user = withAuthenticatedGroup(review.Status.User)
	}
	r.users.Add(id, user, TokenTTL)
	return user, nil
}

// Authorize returns whether the API server allows user the non-resource
// request attrs, with its reason, or the API's error.
func (r *Reviewer) Authorize(ctx context.Context, user *authnv1.UserInfo, attrs authzv1.NonResourceAttributes) (bool, string, error) {
	spec := authzv1.SubjectAccessReviewSpec{
		NonResourceAttributes: &attrs,
		User:                  user.Username,
		UID:                   user.UID,
		Groups:                user.Groups,
	}
	for k, v := range user.Extra {
		if spec.Extra == nil {
			spec.Extra = make(map[string]authzv1.ExtraValue, len(user.Extra))
		}
		spec.Extra[k] = authzv1.ExtraValue(v)
	}
	raw, err := json.Marshal(spec) // map keys sorted: a stable key
	if err != nil {
		return false, "", fmt.Errorf("encoding a SubjectAccessReview: %w", err)
	}
	sum := sha256.Sum256(raw)
	id := string(sum[:])
	if cached, ok := r.decisions.Get(id); ok {
		d := cached.(decision)
		return d.allowed, d.reason, nil
	}
	ctx, cancel := context.WithTimeout(ctx, reviewTimeout)
	defer cancel()
	review, err := r.access.Create(ctx, &authzv1.SubjectAccessReview{Spec: spec}, metav1.CreateOptions{})
	if err != nil {
		return false, "", fmt.Errorf("creating a SubjectAccessReview: %w", err)
	}
	d := decision{allowed: review.Status.Allowed && !review.Status.Denied, reason: review.Status.Reason}
	ttl := DenyTTL
	if d.allowed {
		ttl = AllowTTL
	}
	r.decisions.Add(id, d, ttl)
	return d.allowed, d.reason, nil
}

// decision is a cached SubjectAccessReview answer.
type decision struct {
	allowed bool
	reason  string
}

// withAuthenticatedGroup adds system:authenticated to an authenticated
// user's groups, as k8s.io/apiserver's AuthenticatedGroupAdder does, unless
// the user is anonymous or already has it or system:unauthenticated.
func withAuthenticatedGroup(u authnv1.UserInfo) *authnv1.UserInfo {
	if u.Username == "system:anonymous" {
		return &u
	}
	for _, g := range u.Groups {
		if g == "system:authenticated" || g == "system:unauthenticated" {
			return &u
		}
	}
	u.Groups = append(append(make([]string, 0, len(u.Groups)+1), u.Groups...), "system:authenticated")
	return &u
}

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }
