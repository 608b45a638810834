package provider

import (
	"fmt"
	"time"
)

// TransientError is a fault that may pass by itself: a timeout, a refused
// connection, a 5xx, a rate limit. It never fails a CertificateRequest.
type TransientError struct {
	Err error
	// RetryAfter is how long the CA asked to wait; zero when it did not say.
	RetryAfter time.Duration
}

var _ error = &TransientError{}

func (e *TransientError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("%v (retry after %s)", e.Err, e.RetryAfter)
	}
	return e.Err.Error()
}

func (e *TransientError) Unwrap() error { return e.Err }
