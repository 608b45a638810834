package digicert

import (
	"fmt"
	"net/http"
	"time"

	"github.com/certorder/certorder/internal/provider"
)

// classify sorts a CertCentral answer into the provider's error classes. It
// is the only place that does so:
//   - 2xx: no error;
//   - 401: *provider.AuthError (the key is bad: the issuer is not Ready);
//   - 403 (access_denied|missing_permission, access_denied|invalid_approver
//     and the like): *provider.PermanentError. It refuses this one call,
//     not the key; Check decides whether the issuer is Ready;
//   - 429 and 5xx: *provider.TransientError, with the Retry-After asked for;
//   - anything else: *provider.PermanentError carrying the *APIError.
func classify(endpoint string, resp *provider.Response, now time.Time) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	err := fmt.Errorf("%s: %w", endpoint, newAPIError(resp.StatusCode, resp.Body))
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return &provider.AuthError{Err: err}
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return &provider.TransientError{Err: err, RetryAfter: provider.RetryAfter(resp.Header, now)}
	default:
		return &provider.PermanentError{Err: err}
	}
}

func transientf(format string, args ...any) error {
	return &provider.TransientError{Err: fmt.Errorf(format, args...)}
}

func permanentf(format string, args ...any) error {
	return &provider.PermanentError{Err: fmt.Errorf(format, args...)}
}
