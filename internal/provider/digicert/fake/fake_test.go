package fake

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const key = "fake-test-key"

func csrPEM(t *testing.T, cn string) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: cn}}, k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
}

// call serves one request through Handler and returns the status, the
// error code (if any) and the decoded body.
func call(t *testing.T, s *Server, method, path, apiKey string, body any) (int, string, map[string]any) {
	t.Helper()
	var rd *strings.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	} else {
		rd = strings.NewReader("")
	}
	req := httptest.NewRequest(method, Prefix+path, rd)
	if apiKey != "" {
		req.Header.Set("X-DC-DEVKEY", apiKey)
	}
	if strings.Contains(path, "/download/") {
		req.Header.Set("Accept", pemType)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	var out map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	code := ""
	if errs, ok := out["errors"].([]any); ok && len(errs) > 0 {
		code, _ = errs[0].(map[string]any)["code"].(string)
	}
	return rec.Code, code, out
}

func orderBody(cn, csr string, extra map[string]any) map[string]any {
	b := map[string]any{
		"certificate":    map[string]any{"common_name": cn, "dns_names": []string{cn}, "csr": csr, "signature_hash": "sha256", "server_platform": map[string]int{"id": -1}},
		"validity_years": 1,
	}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

// certificateOnly is the body of a duplicate, or of a reissue without
// comments.
func certificateOnly(cn, csr string) map[string]any {
	b := orderBody(cn, csr, nil)
	delete(b, "validity_years")
	return b
}

func newServer(t *testing.T, opts Options) *Server {
	t.Helper()
	opts.APIKeys = []string{key}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func idOf(t *testing.T, body map[string]any) string {
	t.Helper()
	id, ok := body["id"].(float64)
	if !ok {
		t.Fatalf("no id in %v", body)
	}
	return strconv.FormatInt(int64(id), 10)
}

func TestErrorAnswers(t *testing.T) {
	s := newServer(t, Options{Products: []string{"ssl_basic", "ssl_plus", "ssl_dv_geotrust"}, RequireOrganization: true})
	_, _, issued := call(t, s, "POST", "/order/certificate/ssl_basic", key, orderBody("a.example.com", csrPEM(t, "a.example.com"), map[string]any{"organization": map[string]int{"id": 1}}))
	orderID := idOf(t, issued)
	s.SetBehavior(Behavior{Shape: NeedsApproval})
	_, _, pending := call(t, s, "POST", "/order/certificate/ssl_dv_geotrust", key, orderBody("p.example.com", csrPEM(t, "p.example.com"), nil))
	pendingID := idOf(t, pending)

	tests := []struct {
		name, method, path, apiKey string
		body                       any
		status                     int
		code                       string
	}{
		{"no key", "GET", "/user/me", "", nil, 401, "access_denied|invalid_api_key"},
		{"wrong key", "GET", "/user/me", "other", nil, 401, "access_denied|invalid_api_key"},
		{"unknown route", "GET", "/nowhere", key, nil, 404, "not_found|route"},
		{"wrong method", "DELETE", "/user/me", key, nil, 404, "not_found|route"},
		{"product not allowed", "POST", "/order/certificate/ssl_ev_plus", key, orderBody("a.example.com", csrPEM(t, "a.example.com"), nil), 404, "not_found|product"},
		{"OV without organization", "POST", "/order/certificate/ssl_plus", key, orderBody("a.example.com", csrPEM(t, "a.example.com"), nil), 400, "invalid_organization"},
		{"bad CSR", "POST", "/order/certificate/ssl_dv_geotrust", key, orderBody("a.example.com", "not a csr", nil), 400, "csr_invalid_cannot_parse"},
		{"body not JSON", "POST", "/order/certificate/ssl_dv_geotrust", key, "x", 400, "bad_request_format"},
		{"no validity", "POST", "/order/certificate/ssl_dv_geotrust", key, map[string]any{"certificate": map[string]any{"common_name": "a.example.com"}}, 400, "bad_request_format"},
		{"cert validity beyond the plan", "POST", "/order/certificate/ssl_dv_geotrust", key, orderBody("a.example.com", csrPEM(t, "a.example.com"), map[string]any{"certificate": map[string]any{"common_name": "a.example.com", "csr": csrPEM(t, "a.example.com"), "cert_validity": map[string]int{"days": 400}}}), 400, "cert_validity_exceeds_order_validity"},
		{"unknown order", "GET", "/order/certificate/9", key, nil, 404, "not_found|order"},
		{"duplicate with other names", "POST", "/order/certificate/" + orderID + "/duplicate", key, certificateOnly("b.example.com", csrPEM(t, "b.example.com")), 400, "invalid_dns_names"},
		{"duplicate with a field its docs do not list", "POST", "/order/certificate/" + orderID + "/duplicate", key, orderBody("a.example.com", csrPEM(t, "a.example.com"), nil), 400, "bad_request_format"},
		{"reissue with an order's field", "POST", "/order/certificate/" + orderID + "/reissue", key, orderBody("a.example.com", csrPEM(t, "a.example.com"), nil), 400, "bad_request_format"},
		{"reissue of a pending order", "POST", "/order/certificate/" + pendingID + "/reissue", key, certificateOnly("p.example.com", csrPEM(t, "p.example.com")), 400, "invalid_order_status"},
		{"download of a pending certificate", "GET", "/certificate/" + pendingID + "/download/format/pem_all", key, nil, 404, "not_found|certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, code, _ := call(t, s, tt.method, tt.path, tt.apiKey, tt.body)
			if status != tt.status || code != tt.code {
				t.Fatalf("answer %d %q, want %d %q", status, code, tt.status, tt.code)
			}
		})
	}
	if got := s.Counts(); got != (Counts{Orders: 2}) {
		t.Fatalf("counts %+v, want the two valid orders only", got)
	}
}

func TestPollsSettleSubmissions(t *testing.T) {
	s := newServer(t, Options{})
	s.SetBehavior(Behavior{Shape: CertificateID, PendingPolls: 2})
	status, _, body := call(t, s, "POST", "/order/certificate/ssl_basic", key, orderBody("a.example.com", csrPEM(t, "a.example.com"), map[string]any{"dcv_method": "dns-txt-token"}))
	if status != http.StatusCreated || body["certificate_id"] == nil || body["dcv_random_value"] == nil || body["domains"] == nil {
		t.Fatalf("answer %d %v", status, body)
	}
	id := idOf(t, body)
	for i, want := range []string{"pending", "pending", "issued"} {
		_, _, info := call(t, s, "GET", "/order/certificate/"+id, key, nil)
		if info["status"] != want {
			t.Fatalf("poll %d: status %v, want %s", i+1, info["status"], want)
		}
	}
	if n := s.Calls()["GET /order/certificate/{order_id}"]; n != 3 {
		t.Fatalf("%d order info calls counted, want 3", n)
	}
	req := httptest.NewRequest("GET", Prefix+"/certificate/"+strconv.FormatInt(int64(body["certificate_id"].(float64)), 10)+"/download/format/pem_all", nil)
	req.Header.Set("X-DC-DEVKEY", key)
	req.Header.Set("Accept", "application/json")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusNotAcceptable {
		t.Fatalf("download asking for JSON: %d, want 406", rec.Code)
	}
	req.Header.Set("Accept", "text/plain, application/x-pem-file;q=0.9")
	rec = httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if pem := rec.Body.String(); rec.Code != 200 || strings.Count(pem, "BEGIN CERTIFICATE") != 3 || !strings.Contains(pem, "\r\n") {
		t.Fatalf("download %d: %q", rec.Code, pem)
	}
}

func TestRateLimit(t *testing.T) {
	s := newServer(t, Options{RateLimits: []RateLimit{{Requests: 2, Window: time.Hour}}})
	s.opts.APIKeys = append(s.opts.APIKeys, "other-key")
	for i, tc := range []struct {
		key           string
		want, limited int
	}{{key, 200, 0}, {key, 200, 0}, {key, 429, 1}, {key, 429, 2}, {"other-key", 200, 2}} {
		req := httptest.NewRequest("GET", Prefix+"/user/me", nil)
		req.Header.Set("X-DC-DEVKEY", tc.key)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Fatalf("call %d: %d, want %d", i+1, rec.Code, tc.want)
		}
		if tc.want == 429 && (rec.Header().Get("Retry-After") != "3600" || !strings.Contains(rec.Body.String(), "request_limit_exceeded")) {
			t.Fatalf("429 without Retry-After 3600 or code: %v %s", rec.Header(), rec.Body)
		}
		if got := s.RateLimited(); got != tc.limited {
			t.Fatalf("after call %d: RateLimited() = %d, want %d", i+1, got, tc.limited)
		}
	}
	if got := s.Calls()["GET /user/me"]; got != 3 {
		t.Errorf("Calls counted %d calls to /user/me, want the 3 admitted", got)
	}
}

// TestRollingWindows drives the rate limits at explicit instants.
func TestRollingWindows(t *testing.T) {
	// step makes n calls, spaced by every, from at; admitted of them must
	// be admitted, and the first refused must be told to wait wait.
	type step struct {
		at, every   time.Duration
		n, admitted int
		wait        time.Duration
	}
	tests := []struct {
		name   string
		limits []RateLimit
		steps  []step
	}{
		{
			name:   "a burst of 100 in 5s, then nothing until the first call is 5s old",
			limits: DocumentedRateLimits(),
			steps: []step{
				{at: 0, n: 101, admitted: 100, wait: 5 * time.Second},
				{at: 4999 * time.Millisecond, n: 1, admitted: 0, wait: time.Millisecond},
				{at: 5 * time.Second, n: 101, admitted: 100, wait: 5 * time.Second},
			},
		},
		{
			name:   "the 5s window rolls: it holds the calls of the last 5s, not of a fixed slot",
			limits: DocumentedRateLimits(),
			steps: []step{
				{at: 0, n: 50, admitted: 50},
				{at: 4 * time.Second, n: 51, admitted: 50, wait: time.Second},
				{at: 5 * time.Second, n: 51, admitted: 50, wait: 4 * time.Second},
			},
		},
		{
			name:   "1000 per 5 minutes, however slowly they come",
			limits: DocumentedRateLimits(),
			steps: []step{
				{at: 0, every: 250 * time.Millisecond, n: 1000, admitted: 1000},
				{at: 250 * time.Second, n: 1, admitted: 0, wait: 50 * time.Second},
				{at: 299 * time.Second, n: 1, admitted: 0, wait: time.Second},
				{at: 300 * time.Second, every: 250 * time.Millisecond, n: 5, admitted: 5},
			},
		},
		{
			name:   "refused calls do not count",
			limits: []RateLimit{{Requests: 2, Window: time.Minute}},
			steps: []step{
				{at: 0, n: 2, admitted: 2},
				{at: 30 * time.Second, n: 10, admitted: 0, wait: 30 * time.Second},
				{at: time.Minute, n: 3, admitted: 2, wait: time.Minute},
			},
		},
		{
			name:   "no requests allowed",
			limits: []RateLimit{{Requests: 0, Window: time.Hour}},
			steps:  []step{{at: 0, n: 1, admitted: 0, wait: time.Hour}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			var l callLog
			for i, st := range tt.steps {
				admitted, wait := 0, time.Duration(0)
				for k := range st.n {
					w, ok := l.admit(tt.limits, start.Add(st.at+time.Duration(k)*st.every))
					switch {
					case ok:
						admitted++
					case wait == 0:
						wait = w
					}
				}
				if admitted != st.admitted || wait != st.wait {
					t.Fatalf("step %d: %d admitted, told to wait %s; want %d, %s", i+1, admitted, wait, st.admitted, st.wait)
				}
			}
		})
	}
}

func TestExpireOrder(t *testing.T) {
	s := newServer(t, Options{})
	_, _, body := call(t, s, "POST", "/order/certificate/ssl_basic", key, orderBody("a.example.com", csrPEM(t, "a.example.com"), nil))
	id, _ := strconv.ParseInt(idOf(t, body), 10, 64)
	if err := s.ExpireOrder(id); err != nil {
		t.Fatal(err)
	}
	v, ok := s.Order(id)
	if !ok || v.Status != "expired" || !v.ValidTill.Before(time.Now()) {
		t.Fatalf("view %+v", v)
	}
	if err := s.ExpireOrder(id + 1000); err == nil {
		t.Fatal("expired an unknown order")
	}
	if len(s.Orders()) != 1 {
		t.Fatalf("orders %+v", s.Orders())
	}
}

// The fake takes every request example of DigiCert's docs: the only
// refusal is the example's placeholder CSR.
func TestDocumentedRequestsAreAccepted(t *testing.T) {
	s := newServer(t, Options{})
	body := orderBody("example.com", csrPEM(t, "example.com"), nil)
	body["certificate"].(map[string]any)["dns_names"] = []string{"sub.example.com"}
	_, _, issued := call(t, s, "POST", "/order/certificate/ssl_basic", key, body)
	orderID := idOf(t, issued)
	for file, path := range map[string]string{
		"order-ssl_basic.request.json": "/order/certificate/ssl_basic",
		"order-ov-ev-ssl.request.json": "/order/certificate/ssl_plus",
		"order-dv-ssl.request.json":    "/order/certificate/ssl_dv_geotrust",
		"reissue.request.json":         "/order/certificate/" + orderID + "/reissue",
		"duplicate.request.json":       "/order/certificate/" + orderID + "/duplicate",
	} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "docs", file))
		if err != nil {
			t.Fatal(err)
		}
		status, code, _ := call(t, s, "POST", path, key, json.RawMessage(b))
		if status != http.StatusBadRequest || code != "csr_invalid_cannot_parse" {
			t.Errorf("%s: %d %q, want only the placeholder CSR refused", file, status, code)
		}
	}
}
