package openprovider

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider"
)

// FuzzParseResponse feeds arbitrary answers to the envelope parser: it must
// never panic, succeed only on a 2xx with code 0 outside maintenance, and
// otherwise return one classified, bounded error.
func FuzzParseResponse(f *testing.F) {
	seeds := []struct {
		status int
		body   string
	}{
		{200, `{"code":0,"desc":"","data":{"id":1}}`},
		{200, `{"code":0,"data":{"token":"abc","reseller_id":100001},"warnings":[{"code":1,"desc":"w","data":"d"}]}`},
		{500, `{"code":196,"desc":"Authentication/Authorization Failed","data":""}`},
		{200, `{"code":196,"desc":"Authentication/Authorization Failed"}`},
		{200, `{"code":0,"maintenance":true}`},
		{200, `{"code":399,"desc":"Error from CA","data":{"reason":"CAA"}}`},
		{403, `{"code":10005,"desc":"Access denied"}`},
		{200, `{"code":50}`},
		{429, ``},
		{502, `<html>bad gateway</html>`},
		{200, `{"code":0,"data":{"res`},
		{200, `null`},
		{200, `[]`},
		{200, `{"code":"0"}`},
		{404, "\x00\xff\xfe"},
	}
	for _, s := range seeds {
		f.Add(s.status, []byte(s.body))
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		resp := &provider.Response{StatusCode: status, Header: http.Header{"Retry-After": {"3"}}, Body: body}
		_, _, err := parseResponse("GET /ssl/orders", resp, now)
		if err == nil {
			if status/100 != 2 {
				t.Fatalf("HTTP %d succeeded", status)
			}
			return
		}
		classes := 0
		for _, target := range []any{new(*provider.TransientError), new(*provider.PermanentError), new(*provider.AuthError)} {
			if errors.As(err, target) {
				classes++
			}
		}
		if classes != 1 {
			t.Fatalf("error %v has %d classes, want 1", err, classes)
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) || len(err.Error()) > 3*maxErrorText+300 || strings.TrimSpace(err.Error()) == "" {
			t.Fatalf("error %q is not a bounded APIError", err)
		}
	})
}
