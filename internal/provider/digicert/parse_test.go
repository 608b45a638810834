package digicert

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider"
)

var errorBodySeeds = []string{
	`{"errors":[{"code":"csr_invalid_cannot_parse","message":"Unable to parse the CSR."}]}`,
	`{"errors":[{"code":"not_found|product","message":"No product."},{"code":"x","message":"Second."}]}`,
	`{"errors":{"code":"not_found|route","message":"The specified route was not found."}}`,
	`{"errors":[]}`,
	`{"errors":null}`,
	`{"errors":[{}]}`,
	`{"errors":"text"}`,
	`{"errors":[{"code":"inter`,
	`<html>Bad Gateway</html>`,
	``,
}

func TestParseErrorBody(t *testing.T) {
	tests := []struct {
		body, code, message string
		ok                  bool
	}{
		{errorBodySeeds[0], "csr_invalid_cannot_parse", "Unable to parse the CSR.", true},
		{errorBodySeeds[1], "not_found|product", "No product.; Second.", true},
		{errorBodySeeds[2], "not_found|route", "The specified route was not found.", true},
		{errorBodySeeds[3], "", "", false},
		{errorBodySeeds[4], "", "", false},
		{errorBodySeeds[5], "", "", false},
		{errorBodySeeds[6], "", "", false},
		{errorBodySeeds[7], "", "", false},
		{errorBodySeeds[8], "", "", false},
		{errorBodySeeds[9], "", "", false},
	}
	for _, tt := range tests {
		code, msg, ok := parseErrorBody([]byte(tt.body))
		if code != tt.code || msg != tt.message || ok != tt.ok {
			t.Errorf("parseErrorBody(%q) = %q, %q, %v", tt.body, code, msg, ok)
		}
	}
}

func FuzzParseErrorBody(f *testing.F) {
	for _, s := range errorBodySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		code, msg, ok := parseErrorBody(body)
		if !ok && (code != "" || msg != "") {
			t.Fatalf("not ok but code %q message %q", code, msg)
		}
		if e := newAPIError(500, body); e.Error() == "" || (!ok && e.Code != "") {
			t.Fatalf("APIError %+v", e)
		}
	})
}

func FuzzParseSubmitResponse(f *testing.F) {
	for _, s := range []string{
		`{"id":542772,"requests":[{"id":922432,"status":"pending"}]}`,
		`{"id":542772,"certificate_id":123,"dcv_random_value":"abc","domains":[{"id":1,"dns_name":"a.example.com","dcv_token":{"token":"t","status":"pending","expiration_date":"2030-01-01T00:00:00+00:00"}}]}`,
		`{"id":"542772","requests":[{"id":1,"status":"approved"}],"certificate_id":"9","certificate_chain":[{"subject_common_name":"a","pem":"-----BEGIN CERTIFICATE-----\r\nAA==\r\n-----END CERTIFICATE-----\r\n"}]}`,
		`{"requests":[{"id":1}]}`,
		`{"id":1.5}`,
		`{"id":-3}`,
		`[]`,
		`nonsense`,
	} {
		f.Add([]byte(s), int64(0))
		f.Add([]byte(s), int64(77))
	}
	f.Fuzz(func(t *testing.T, body []byte, orderID int64) {
		r, err := parseSubmitResponse(body, ID(orderID))
		if err == nil && r.ID <= 0 {
			t.Fatalf("accepted an answer without an order id: %+v", r)
		}
		if err == nil {
			_ = submittedMessage(r)
			_, _ = chainFromEntries(r.CertificateChain)
		}
	})
}

func TestClassify(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	body := []byte(`{"errors":[{"code":"c","message":"m"}]}`)
	tests := []struct {
		status     int
		retryAfter string
		class      string
		wait       time.Duration
	}{
		{201, "", "", 0},
		{204, "", "", 0},
		{400, "", "permanent", 0},
		{401, "", "auth", 0},
		{403, "", "permanent", 0},
		{404, "", "permanent", 0},
		{409, "", "permanent", 0},
		{429, "12", "transient", 12 * time.Second},
		{429, now.Add(90 * time.Second).Format(http.TimeFormat), "transient", 90 * time.Second},
		{500, "", "transient", 0},
		{503, "5", "transient", 5 * time.Second},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.retryAfter != "" {
			h.Set("Retry-After", tt.retryAfter)
		}
		err := classify("GET /user/me", &provider.Response{StatusCode: tt.status, Header: h, Body: body}, now)
		var (
			te *provider.TransientError
			pe *provider.PermanentError
			ae *provider.AuthError
			ap *APIError
		)
		got := ""
		switch {
		case errors.As(err, &te):
			got = "transient"
			if te.RetryAfter != tt.wait {
				t.Errorf("%d: RetryAfter %v, want %v", tt.status, te.RetryAfter, tt.wait)
			}
		case errors.As(err, &pe):
			got = "permanent"
		case errors.As(err, &ae):
			got = "auth"
		}
		if got != tt.class {
			t.Errorf("%d: class %q, want %q (%v)", tt.status, got, tt.class, err)
		}
		if err != nil && (!errors.As(err, &ap) || ap.StatusCode != tt.status || ap.Code != "c" || ap.Message != "m") {
			t.Errorf("%d: APIError %+v", tt.status, ap)
		}
	}
}

func TestOrderState(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		status, validTill string
		want              provider.OrderState
	}{
		{"issued", "2027-05-01", provider.OrderActive},
		{"reissue", "2027-05-01", provider.OrderActive},
		{"issued", "2026-05-01", provider.OrderExpired},
		{"issued", "", provider.OrderActive},
		{"reissue_pending", "2027-05-01", provider.OrderActive},
		{"pending", "", provider.OrderPending},
		{"needs_approval", "", provider.OrderPending},
		{"waiting_pickup", "", provider.OrderPending},
		{"something_new", "", provider.OrderPending},
		{"expired", "2026-04-01", provider.OrderExpired},
		{"rejected", "", provider.OrderFailed},
		{"canceled", "", provider.OrderFailed},
		{"revoked", "", provider.OrderFailed},
		{"denied", "", provider.OrderFailed},
	}
	for _, tt := range tests {
		if got := orderState(orderInfo{Status: tt.status, OrderValidTill: tt.validTill}, now); got != tt.want {
			t.Errorf("orderState(%s, %s) = %s, want %s", tt.status, tt.validTill, got, tt.want)
		}
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2018, 10, 16, 20, 5, 28, 0, time.UTC)
	for _, s := range []string{"2018-10-16T20:05:28+00:00", "2018-10-16T22:05:28+02:00", "2018-10-16T20:05:28Z", "2018-10-16 20:05:28"} {
		if got, ok := parseTime(s); !ok || !got.Equal(want) {
			t.Errorf("parseTime(%q) = %v, %v", s, got, ok)
		}
	}
	if got, ok := parseTime("2018-10-16"); !ok || !got.Equal(time.Date(2018, 10, 16, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date read as %v", got)
	}
	if _, ok := parseTime("16/10/2018"); ok {
		t.Error("an unknown layout was read")
	}
}
