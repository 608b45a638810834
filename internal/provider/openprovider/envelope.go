package openprovider

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

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

// envelopeKeys are every key of Openprovider's envelope (the swagger's
// Response and errorError definitions). A body with another key is not
// Openprovider's answer.
var envelopeKeys = map[string]bool{"code": true, "desc": true, "data": true, "warnings": true, "maintenance": true}

// parseResponse returns the data of a successful answer, or the classified
// error. Success needs both a 2xx status and code 0 without maintenance.
func parseResponse(endpoint string, resp *provider.Response, now time.Time) (json.RawMessage, []warning, error) {
	env, enveloped := decodeEnvelope(resp.Body)
	if enveloped && env.Code == 0 && !env.Maintenance && resp.StatusCode/100 == 2 {
		return env.Data, env.Warnings, nil
	}
	apiErr := &APIError{Endpoint: endpoint, StatusCode: resp.StatusCode, Code: env.Code, Desc: clip(env.Desc), Data: dataText(env.Data)}
	if !enveloped {
		// Nothing of a body that is not Openprovider's envelope is quoted:
		// the URL may point at another server (cloud metadata, an internal
		// service), whose answer must not reach the request's status.
		apiErr.Code, apiErr.Desc, apiErr.Data = 0, "the answer is not an Openprovider JSON envelope", ""
	}
	return nil, nil, classify(apiErr, enveloped, enveloped && env.Maintenance, resp.Header, now)
}

// decodeEnvelope reads body as Openprovider's envelope: a JSON object with
// a numeric "code" and no key the envelope does not have.
func decodeEnvelope(body []byte) (envelope, bool) {
	var keys map[string]json.RawMessage
	if json.Unmarshal(body, &keys) != nil {
		return envelope{}, false
	}
	if _, ok := keys["code"]; !ok {
		return envelope{}, false
	}
	for k := range keys {
		if !envelopeKeys[k] {
			return envelope{}, false
		}
	}
	var env envelope
	if json.Unmarshal(body, &env) != nil {
		return envelope{}, false
	}
	return env, true
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

func clip(s string) string {
	if len(s) <= maxErrorText {
		return s
	}
	return strings.ToValidUTF8(s[:maxErrorText], "") + "…"
}
