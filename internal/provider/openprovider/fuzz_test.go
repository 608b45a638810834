package openprovider

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
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

// FuzzOrderData feeds arbitrary order data (GET /ssl/orders/{id}, one entry
// of GET /ssl/orders) to the decoders and to statusOf: never a panic, and
// an issued status always carries a chain.
func FuzzOrderData(f *testing.F) {
	for _, name := range []string{"get-order.response.json", "list-orders.response.json"} {
		b, err := os.ReadFile("testdata/docs/" + name)
		if err != nil {
			f.Fatal(err)
		}
		var d docExample
		if err := json.Unmarshal(b, &d); err != nil {
			f.Fatal(err)
		}
		var env struct{ Data json.RawMessage }
		if err := json.Unmarshal(d.Example, &env); err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(env.Data))
	}
	f.Add([]byte(`{"id":1,"status":"ACT","csr":"x","certificate":"-----BEGIN CERTIFICATE-----MIIB-----END CERTIFICATE-----"}`))
	f.Add([]byte(`{"id":1,"status":"REQ","domain_validation_statuses":"open","additional_data":{"a":1}}`))
	f.Add([]byte(`{"results":[{"id":2,"status":"PAI"}],"total":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var o order
		if json.Unmarshal(data, &o) == nil {
			st, _, err := statusOf(&o, submission{action: provider.ActionOrder, csr: []byte(o.CSR), known: []string{"1"}, since: time.Now()})
			if err == nil && st.State == provider.StateIssued && st.Chain == nil {
				t.Fatal("issued without a chain")
			}
			_ = o.validUntil()
			_ = o.names()
		}
		var list orderList
		_ = json.Unmarshal(data, &list)
		_ = statusesText(data)
		_ = dcvText(data)
	})
}

// FuzzProductData feeds arbitrary product data to the decoder and the
// name check's arithmetic.
func FuzzProductData(f *testing.F) {
	f.Add([]byte(`{"id":5,"name":"PositiveSSL Multi-Domain","included_domains_count":3,"number_of_domains":3,"max_domains":250}`))
	f.Add([]byte(`{"included_domains_count":-1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p product
		if json.Unmarshal(data, &p) == nil && p.included() < 1 {
			t.Fatalf("product %+v includes %d names", p, p.included())
		}
	})
}
