package openprovider

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/certorder/certorder/internal/provider"
)

const (
	// tokenRefresh is how long a token is used. Tokens live 2 days
	// (support article 360013974800); refreshing after one leaves a day of
	// margin for clock skew and long-running calls.
	tokenRefresh = 24 * time.Hour
	// loginBackoff is how long a refused login is remembered and replayed
	// instead of logging in again: Openprovider blocks an account after 100
	// failed logins an hour, and a bad password must never get near that.
	loginBackoff = 5 * time.Minute
)

// TokenCache holds one login session per credential (API URL, username and
// password), shared by every client built with it. A session unused for
// provider.PoolIdle is forgotten, as after a password change. Safe for
// concurrent use.
type TokenCache struct {
	// sessions is keyed by a digest of the credential, never the credential.
	sessions *provider.Pool[*session]
}

// NewTokenCache returns an empty cache.
func NewTokenCache() *TokenCache {
	return &TokenCache{sessions: provider.NewPool[*session](provider.PoolIdle, nil)}
}

func (t *TokenCache) sessionFor(baseURL, username, password string) *session {
	key := provider.Fingerprint([]byte(baseURL + "\x00" + username + "\x00" + password))
	s, _ := t.sessions.Get(key, func() (*session, error) { return &session{}, nil })
	return s
}

// session is the login state of one credential.
type session struct {
	flight singleflight.Group
	nudges nudges
	board  board

	mu        sync.Mutex
	token     string
	refreshAt time.Time
	// loginErr is the last refused login, replayed until loginRetryAt.
	loginErr     error
	loginRetryAt time.Time
	// blocked is the last Openprovider block, in force until its Until.
	blocked *BlockedError
}

// loginFunc performs one login call and returns the token.
type loginFunc func(ctx context.Context) (string, error)

// get returns a valid token, logging in when there is none. Concurrent
// callers share one login; a refused login is not repeated for loginBackoff.
func (s *session) get(ctx context.Context, now func() time.Time, login loginFunc) (string, error) {
	if tok, err := s.current(now()); tok != "" || err != nil {
		return tok, err
	}
	// The login runs detached from one caller's cancellation, because
	// other callers wait for it; the HTTP timeout bounds it.
	ch := s.flight.DoChan("login", func() (any, error) {
		// A login that ended since the check above left its outcome.
		if tok, err := s.current(now()); tok != "" || err != nil {
			return tok, err
		}
		tok, err := login(context.WithoutCancel(ctx))
		s.recordLogin(tok, err, now())
		return tok, err
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return "", r.Err
		}
		return r.Val.(string), nil
	case <-ctx.Done():
		return "", &provider.TransientError{Err: fmt.Errorf("openprovider: waiting for the login: %w", ctx.Err())}
	}
}

// current is the cached token, or the error to answer without calling.
func (s *session) current(now time.Time) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.blockedErr(now); err != nil {
		return "", err
	}
	if s.loginErr != nil && now.Before(s.loginRetryAt) {
		return "", &provider.AuthError{Err: fmt.Errorf("openprovider: not logging in again before %s UTC, the last login was refused: %w",
			s.loginRetryAt.UTC().Format(time.DateTime), s.loginErr)}
	}
	if s.token != "" && now.Before(s.refreshAt) {
		return s.token, nil
	}
	return "", nil
}

func (s *session) recordLogin(tok string, err error, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var transient *provider.TransientError
	var blocked *BlockedError
	switch {
	case err == nil:
		s.token, s.refreshAt, s.loginErr = tok, now.Add(tokenRefresh), nil
	case errors.As(err, &transient), errors.As(err, &blocked):
		// Faults on the way are retried by the caller's backoff; blocks
		// have their own cool-down.
	default:
		s.token, s.loginErr, s.loginRetryAt = "", err, now.Add(loginBackoff)
	}
}

// forget drops tok after Openprovider refused it, unless a newer token
// replaced it meanwhile.
func (s *session) forget(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token == tok {
		s.token = ""
	}
}

// refuse returns the error to answer locally while a block is in force.
func (s *session) refuse(now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.blockedErr(now)
}

func (s *session) blockedErr(now time.Time) error {
	if s.blocked == nil || !now.Before(s.blocked.Until) {
		return nil
	}
	return &provider.AuthError{Err: fmt.Errorf("openprovider: call refused locally: %w", s.blocked)}
}

// block records an Openprovider block found in err, if any.
func (s *session) block(err error) {
	var b *BlockedError
	if !errors.As(err, &b) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blocked == nil || b.Until.After(s.blocked.Until) {
		s.blocked = b
	}
}
