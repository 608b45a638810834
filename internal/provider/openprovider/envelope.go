package openprovider

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
	"unicode"

	"github.com/certorder/certorder/internal/provider"
)

// envelope wraps every Openprovider answer, success or error.
type envelope struct {
	Code        int             `json:"code"`
	Desc        string          `json:"desc"`
	Data        json.RawMessage `json:"data"`
	Warnings    []warning       `json:"warnings"`
	Maintenance bool            `json:"maintenance"`
}

type warning struct {
	Code int             `json:"code"`
	Desc string          `json:"desc"`
	Data json.RawMessage `json:"data"`
}

// maxErrorText bounds how much of an answer an error message quotes.
const maxErrorText = 300

// parseResponse returns the data of a successful answer, or the classified
// error. Success needs both a 2xx status and code 0 without maintenance.
func parseResponse(endpoint string, resp *provider.Response, now time.Time) (json.RawMessage, []warning, error) {
	var env envelope
	decodeErr := json.Unmarshal(resp.Body, &env)
	enveloped := decodeErr == nil
	if enveloped && env.Code == 0 && !env.Maintenance && resp.StatusCode/100 == 2 {
		return env.Data, env.Warnings, nil
	}
	apiErr := &APIError{Endpoint: endpoint, StatusCode: resp.StatusCode, Code: env.Code, Desc: clip(env.Desc), Data: dataText(env.Data)}
	if !enveloped {
		apiErr.Code, apiErr.Desc, apiErr.Data = 0, "the answer is not an Openprovider JSON envelope", quote(resp.Body)
	}
	return nil, nil, classify(apiErr, enveloped, enveloped && env.Maintenance, resp.Header, now)
}

// dataText renders an error's data: a string as is (the documented shape),
// anything else as compact JSON.
func dataText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return clip(s)
	}
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return ""
	}
	return clip(buf.String())
}

// quote is a printable, bounded excerpt of a body that is not JSON.
func quote(body []byte) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return ' '
	}, string(bytes.TrimSpace(body)))
	if s == "" {
		return "(empty body)"
	}
	return clip(s)
}

func clip(s string) string {
	if len(s) <= maxErrorText {
		return s
	}
	return strings.ToValidUTF8(s[:maxErrorText], "") + "…"
}
