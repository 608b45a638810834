package fake

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// Openprovider's documented codes, and the fake's own choices where
// Openprovider's code for a case is not documented (marked). Errors are
// answered with HTTP 500 and the code, as Openprovider answers most of
// them; the HTTP status carries no meaning.
const (
	codeBadCredentials = 196
	codeCAPassthrough  = 399
	codeIPBlocked      = 10005
	codeCallsLimit     = 50
	codeInvalid        = 10001 // undocumented: a validation error
	codeNotFound       = 10002 // undocumented: no such order
	codeWrongState     = 10003 // undocumented: not allowed in the order's state
	codeNoProduct      = 10004 // undocumented: unknown product
)

var errNoOrder = errors.New("no such order")

type envelope struct {
	Code        int    `json:"code"`
	Desc        string `json:"desc"`
	Data        any    `json:"data,omitempty"`
	Maintenance bool   `json:"maintenance,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, env envelope) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(env)
}

func writeData(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, envelope{Data: data})
}

// apiError is an answer with a non-zero code.
type apiError struct {
	status int
	code   int
	desc   string
	data   string
}

func (e *apiError) write(w http.ResponseWriter) {
	writeJSON(w, e.status, envelope{Code: e.code, Desc: e.desc, Data: e.data})
}

func invalid(format string, names ...string) *apiError {
	return &apiError{status: http.StatusInternalServerError, code: codeInvalid, desc: "Invalid request", data: format + strings.Join(names, ", ")}
}

// decode reads a JSON request body, answering the error itself.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		invalid("the body is not valid JSON: ", err.Error()).write(w)
		return false
	}
	return true
}
