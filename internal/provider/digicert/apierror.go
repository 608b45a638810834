package digicert

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// APIError is an error answer of CertCentral: the HTTP status with the code
// and message of its {"errors":[{"code","message"}]} envelope.
type APIError struct {
	StatusCode int
	// Code is DigiCert's code, such as "csr_invalid_cannot_parse" or
	// "not_found|product"; empty when the body held no error envelope.
	Code string
	// Message is DigiCert's text (several errors are joined with "; "), or
	// a description of a body that was not an error envelope.
	Message string
}

var _ error = &APIError{}

func (e *APIError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("CertCentral answered HTTP %d: %s", e.StatusCode, e.Message)
	}
	return fmt.Sprintf("CertCentral answered HTTP %d %s: %s", e.StatusCode, e.Code, e.Message)
}

// maxMessageBytes caps the CA's text kept in an error, status or event.
const maxMessageBytes = 512

// newAPIError reads an error answer. The body is parsed as JSON whatever
// its Content-Type; a body that is not an error envelope is described by
// its size only, since a proxy or a broken endpoint could echo anything.
func newAPIError(status int, body []byte) *APIError {
	code, msg, ok := parseErrorBody(body)
	if !ok {
		return &APIError{StatusCode: status, Message: fmt.Sprintf("the body (%d bytes) is not a CertCentral error", len(body))}
	}
	return &APIError{StatusCode: status, Code: capText(code), Message: capText(msg)}
}

// capText cuts s to maxMessageBytes, on a rune boundary.
func capText(s string) string {
	if len(s) <= maxMessageBytes {
		return s
	}
	cut := maxMessageBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// isNotFound tells whether err is CertCentral's 404.
func isNotFound(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound
}

type errorItem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// parseErrorBody reads {"errors":[{"code","message"}, ...]}. Some DigiCert
// answers (and the riboseinc fixtures) carry a single object instead of the
// array; both are read. ok is false when there is no usable error.
func parseErrorBody(body []byte) (code, message string, ok bool) {
	var env struct {
		Errors json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &env) != nil || len(env.Errors) == 0 {
		return "", "", false
	}
	var items []errorItem
	if json.Unmarshal(env.Errors, &items) != nil {
		var one errorItem
		if json.Unmarshal(env.Errors, &one) != nil {
			return "", "", false
		}
		items = []errorItem{one}
	}
	var msgs []string
	for _, it := range items {
		if code == "" {
			code = it.Code
		}
		if it.Message != "" {
			msgs = append(msgs, it.Message)
		}
	}
	if code == "" && len(msgs) == 0 {
		return "", "", false
	}
	return code, strings.Join(msgs, "; "), true
}
