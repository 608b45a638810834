package openprovider

import (
	"fmt"
	"net/http"
	"time"

	"github.com/certorder/certorder/internal/provider"
)

// Openprovider's error codes that change how an error is classified. The
// code ranges are on https://doc.openprovider.eu/API_module_Error_handling
// (1xx authentication, 9xx payments, 10xx SSL); the blocks and limits on
// support article 218390187 (https://support.openprovider.eu/hc/en-us/articles/218390187).
const (
	codeBadCredentials = 196
	codeIPBlocked      = 10005
	codeCallsLimit     = 50
	codeTemporaryBlock = 4007
)

// transientCodes are the codes Openprovider documents as passing by
// themselves. Openprovider publishes no list of codes for its REST API;
// what it does document as temporary is the maintenance flag of the
// envelope (swagger: "Indicates if Openprovider API is on maintenance") and
// the blocks above, which have their own cool-down. So this set is empty
// on purpose, and a code is retried only through those: every other code
// (a validation error, an unknown product, a CA passthrough) fails the
// request with the CA's words, whatever the HTTP status, because
// Openprovider answers most errors with HTTP 500.
var transientCodes = map[int]bool{}

// gatewayStatuses are HTTP statuses of a proxy or load balancer in front of
// Openprovider, never of its API itself (which answers errors with 500 and
// a code): they are retried.
var gatewayStatuses = map[int]bool{
	http.StatusBadGateway:         true,
	http.StatusServiceUnavailable: true,
	http.StatusGatewayTimeout:     true,
}

// blocks are the codes that stop all traffic of a credential: asking again
// only lengthens the block, so the client refuses locally for a cool-down.
var blocks = map[int]struct {
	coolDown time.Duration
	advice   string
}{
	// The IP stays blocked until Openprovider lifts it by hand; an hour
	// keeps the alarm loud without adding to the count meanwhile.
	codeIPBlocked: {time.Hour, "the IP address stays blocked until Openprovider support lifts the block"},
	// Documented as a 20 minute block (failed logins above 100 an hour).
	codeCallsLimit: {20 * time.Minute, "Openprovider lifts this block after 20 minutes; check the password"},
	// The length of this block is not documented.
	codeTemporaryBlock: {10 * time.Minute, "Openprovider lifts this block by itself"},
}

// APIError is an answer of Openprovider that is not a success: a non-zero
// code, a maintenance flag, an HTTP error status or a body that is not an
// Openprovider envelope (Code 0 then).
type APIError struct {
	// Endpoint is the call's route template, such as "GET /ssl/orders/{id}".
	Endpoint   string
	StatusCode int
	Code       int
	Desc       string
	// Data is the CA's further text, such as a CA passthrough message.
	Data string
}

var _ error = &APIError{}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("openprovider %s: HTTP %d", e.Endpoint, e.StatusCode)
	if e.Code != 0 {
		msg += fmt.Sprintf(", code %d", e.Code)
	}
	if e.Desc != "" {
		msg += ": " + e.Desc
	}
	if e.Data != "" {
		msg += ": " + e.Data
	}
	return msg
}

// BlockedError is an Openprovider block of the account or IP. It is wrapped
// in a *provider.AuthError, so the issuer goes not Ready, and the client
// refuses every call of the credential until Until.
type BlockedError struct {
	API   *APIError
	Until time.Time
}

var _ error = &BlockedError{}

func (e *BlockedError) Error() string {
	return fmt.Sprintf("Openprovider blocked this account or IP (%v); certorder makes no call with these credentials until %s UTC: %s",
		e.API, e.Until.UTC().Format(time.DateTime), blocks[e.API.Code].advice)
}

func (e *BlockedError) Unwrap() error { return e.API }

// classify sorts a failed answer into the provider error classes. It is the
// one place that does. enveloped tells whether the body was an Openprovider
// envelope. HTTP statuses are unreliable (a bad login comes as HTTP 500 or
// 200 with code 196, a validation error as HTTP 500), so an envelope's code
// decides, and the status only sorts answers without a code.
func classify(e *APIError, enveloped, maintenance bool, header http.Header, now time.Time) error {
	block, blocked := blocks[e.Code]
	retry := func() error { return &provider.TransientError{Err: e, RetryAfter: provider.RetryAfter(header, now)} }
	switch {
	case maintenance:
		return &provider.TransientError{Err: fmt.Errorf("Openprovider is in maintenance: %w", e), RetryAfter: provider.RetryAfter(header, now)}
	case e.Code == codeBadCredentials:
		return &provider.AuthError{Err: e}
	case blocked:
		return &provider.AuthError{Err: &BlockedError{API: e, Until: now.Add(block.coolDown)}}
	case transientCodes[e.Code], gatewayStatuses[e.StatusCode], e.StatusCode == http.StatusTooManyRequests:
		return retry()
	case e.Code != 0:
		return &provider.PermanentError{Err: e}
	case e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden:
		return &provider.AuthError{Err: e}
	case e.StatusCode >= 500:
		return retry()
	case e.StatusCode < 300:
		// A success status with a broken body or without a code: the
		// call may have taken effect, so it is retried (after recovery),
		// never failed.
		return &provider.TransientError{Err: e}
	default:
		return &provider.PermanentError{Err: e}
	}
}
