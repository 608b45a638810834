package digicert

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/digicert/fake"
)

// documentedRequest lists, per endpoint, every body field its docs list,
// as paths ("certificate.server_platform.id", "custom_fields[].value").
// certorder may send a subset, never another field.
var documentedRequest = map[string][]string{
	// https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-basic-ov.html
	// (request parameters), with the fields of the order-ov-ev-ssl and
	// order-dv-ssl examples; certorder sends none of the last two lines.
	epOrderCreate: {
		"certificate", "certificate.common_name", "certificate.dns_names", "certificate.csr", "certificate.signature_hash",
		"certificate.server_platform", "certificate.server_platform.id", "certificate.organization_units", "certificate.ca_cert_id",
		"certificate.cert_validity", "certificate.cert_validity.years", "certificate.cert_validity.days",
		"organization", "organization.id", "container", "container.id", "validity_years", "order_validity",
		"order_validity.years", "order_validity.days", "comments", "disable_renewal_notifications", "renewal_of_order_id",
		"payment_method", "skip_approval", "custom_fields", "custom_fields[].metadata_id", "custom_fields[].value",
		"dcv_method", "auto_renew",
		"locale", "disable_ct", "custom_expiration_date", "custom_renewal_message", "organization.contacts",
		"organization.contacts[].contact_type", "organization.contacts[].user_id", "organization.contacts[].first_name",
		"organization.contacts[].last_name", "organization.contacts[].job_title", "organization.contacts[].telephone",
		"organization.contacts[].email", "dcv_emails", "dcv_emails[].dns_name", "dcv_emails[].email_domain",
		"dcv_emails[].email", "technical_contact", "technical_contact.first_name", "technical_contact.last_name",
		"technical_contact.telephone", "technical_contact.job_title", "technical_contact.email",
	},
	// https://dev.digicert.com/en/certcentral-apis/services-api/orders/reissue-certificate.html
	// (request parameters: certificate with cert_validity inside it;
	// comments and skip_approval are modelled from its parameter table,
	// which the stored page cuts short).
	epReissue: {
		"certificate", "certificate.common_name", "certificate.dns_names", "certificate.csr", "certificate.signature_hash",
		"certificate.server_platform", "certificate.server_platform.id", "certificate.ca_cert_id",
		"certificate.cert_validity", "certificate.cert_validity.years", "certificate.cert_validity.days",
		"certificate.cert_validity.custom_expiration_date", "comments", "skip_approval",
	},
	// https://dev.digicert.com/en/certcentral-apis/services-api/orders/duplicate-certificate.html
	epDuplicate: {
		"certificate", "certificate.common_name", "certificate.dns_names", "certificate.csr", "certificate.signature_hash",
		"certificate.server_platform", "certificate.server_platform.id", "certificate.ca_cert_id",
	},
}

// documentedResponse lists, per endpoint, the response fields of its
// docs' parameter table beyond those its stored example shows. The fake
// may answer a field of the example or of this list, never another.
var documentedResponse = map[string][]string{
	// https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-info.html
	epOrderInfo: {
		"date_created", "certificate.id", "certificate.thumbprint", "certificate.serial_number", "certificate.date_issued",
		"certificate.valid_from", "certificate.valid_till", "certificate.days_remaining", "dcv_method",
		"organization", "organization.id", "container", "container.id", "is_multi_year_plan",
		"certificate.server_platform.id", "certificate.signature_hash",
	},
	// https://dev.digicert.com/en/certcentral-apis/services-api/orders/list-orders.html
	epOrderList: {"orders[].certificate.valid_till", "orders[].order_valid_till", "orders[].dcv_method", "orders[].is_renewal"},
	// https://dev.digicert.com/en/certcentral-apis/services-api/orders/list-duplicates.html
	epDuplicateList: {},
	// https://dev.digicert.com/en/certcentral-apis/services-api/orders/list-reissues.html
	// (valid_from, signature_hash and server_platform are modelled on the
	// list-duplicates table: the stored reissue example is cut short).
	epReissueList: {"certificates[].valid_from", "certificates[].signature_hash", "certificates[].server_platform", "certificates[].server_platform.id"},
}

// corpusFile maps a file of testdata/docs to its endpoint.
var corpusFile = map[string]string{
	"order-ssl_basic.request.json":            epOrderCreate,
	"order-ov-ev-ssl.request.json":            epOrderCreate,
	"order-dv-ssl.request.json":               epOrderCreate,
	"reissue.request.json":                    epReissue,
	"duplicate.request.json":                  epDuplicate,
	"submit.needs_approval.response.json":     epOrderCreate,
	"submit.immediate.response.json":          epOrderCreate,
	"submit.certificate_id.response.json":     epOrderCreate,
	"order-info.needs_approval.response.json": epOrderInfo,
	"order-info.issued.response.json":         epOrderInfo,
	"list-orders.response.json":               epOrderList,
	"list-duplicates.response.json":           epDuplicateList,
	"list-reissues.response.json":             epReissueList,
	"request-info.response.json":              epRequestInfo,
	"user-me.response.json":                   epUserMe,
	"error.response.json":                     "error",
}

// decodeAnswer decodes a 2xx body of endpoint with the client's own
// decoder, and checks what certorder relies on in it.
func decodeAnswer(endpoint string, body []byte) error {
	switch endpoint {
	case epOrderCreate, epReissue, epDuplicate:
		_, err := parseSubmitResponse(body, 0)
		return err
	case epOrderInfo:
		var v orderInfo
		return checked(decodeJSON(endpoint, body, &v), v.ID > 0 && v.Status != "", "an id and a status")
	case epOrderList:
		var v orderList
		return checked(decodeJSON(endpoint, body, &v), len(v.Orders) > 0 && v.Orders[0].ID > 0 && v.Orders[0].DateCreated != "", "orders with ids and dates")
	case epReissueList, epDuplicateList:
		var v certificateList
		err := decodeJSON(endpoint, body, &v)
		return checked(err, v.Certificates != nil && !slices.ContainsFunc(v.Certificates, func(e orderCertificateEntry) bool { return e.ID <= 0 || e.Status == "" }), "certificates with ids and statuses")
	case epRequestInfo:
		var v requestInfo
		return checked(decodeJSON(endpoint, body, &v), v.ID > 0 && v.Status != "", "an id and a status")
	case epDCVRandomValue:
		var v dcvRandomValue
		return checked(decodeJSON(endpoint, body, &v), v.DCVRandomValue != "", "a random value")
	case epUserMe:
		var v map[string]any
		return decodeJSON(endpoint, body, &v)
	case epDownload:
		_, err := provider.ParseChain(body)
		return err
	case "error":
		if _, _, ok := parseErrorBody(body); !ok {
			return fmt.Errorf("not an error envelope")
		}
		return nil
	}
	return fmt.Errorf("no decoder for %s", endpoint)
}

func checked(err error, ok bool, what string) error {
	if err == nil && !ok {
		return fmt.Errorf("the answer lacks %s", what)
	}
	return err
}

// jsonPaths collects the field paths of a JSON document.
func jsonPaths(t *testing.T, body []byte) map[string]bool {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	out := map[string]bool{}
	var walk func(v any, prefix string)
	walk = func(v any, prefix string) {
		switch x := v.(type) {
		case map[string]any:
			for k, child := range x {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				out[p] = true
				walk(child, p)
			}
		case []any:
			for _, child := range x {
				walk(child, prefix+"[]")
			}
		}
	}
	walk(v, "")
	return out
}

// undocumented returns the paths of got outside allowed.
func undocumented(got map[string]bool, allowed []string) []string {
	var out []string
	for _, p := range slices.Sorted(maps.Keys(got)) {
		if !slices.Contains(allowed, p) {
			out = append(out, p)
		}
	}
	return out
}

func readCorpus(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "docs", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// examplePaths are the paths of every documented response of endpoint.
func examplePaths(t *testing.T, endpoint string) []string {
	t.Helper()
	paths := slices.Clone(documentedResponse[endpoint])
	for name, ep := range corpusFile {
		if ep == endpoint && strings.HasSuffix(name, ".response.json") {
			paths = append(paths, slices.Collect(maps.Keys(jsonPaths(t, readCorpus(t, name))))...)
		}
	}
	return paths
}

// TestCorpus checks every documented example: each names its source, each
// response decodes with the client's decoders, and each request has only
// documented fields.
func TestCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "docs", "*.json"))
	if err != nil || len(files) != len(corpusFile) {
		t.Fatalf("%d corpus files (%v), want %d", len(files), err, len(corpusFile))
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			endpoint, ok := corpusFile[name]
			if !ok {
				t.Fatal("no endpoint for this file")
			}
			source, err := os.ReadFile(f + ".source")
			if err != nil || !strings.HasPrefix(string(source), "https://dev.digicert.com/") {
				t.Fatalf("the file names no dev.digicert.com source: %v", err)
			}
			body := readCorpus(t, name)
			if strings.HasSuffix(name, ".request.json") {
				if extra := undocumented(jsonPaths(t, body), documentedRequest[endpoint]); len(extra) > 0 {
					t.Fatalf("fields the docs do not list: %v", extra)
				}
				return
			}
			if err := decodeAnswer(endpoint, body); err != nil {
				t.Fatal(err)
			}
		})
	}
	var dup certificateList
	if err := json.Unmarshal(readCorpus(t, "list-duplicates.response.json"), &dup); err != nil {
		t.Fatal(err)
	}
	if class, _ := entryClass(dup.Certificates[0]); class != classIssued {
		t.Fatal("the documented duplicate, approved with certificate data, is not read as issued")
	}
}

// exchange is one call through the recording proxy.
type exchange struct {
	endpoint     string
	status       int
	request, got []byte
}

// routes maps a method and path below the base URL to a route template.
var routes = []struct {
	method   string
	re       *regexp.Regexp
	endpoint string
}{
	{"GET", regexp.MustCompile(`^/user/me$`), epUserMe},
	{"GET", regexp.MustCompile(`^/order/certificate$`), epOrderList},
	{"GET", regexp.MustCompile(`^/order/certificate/\d+$`), epOrderInfo},
	{"POST", regexp.MustCompile(`^/order/certificate/\d+/reissue$`), epReissue},
	{"GET", regexp.MustCompile(`^/order/certificate/\d+/reissue$`), epReissueList},
	{"POST", regexp.MustCompile(`^/order/certificate/\d+/duplicate$`), epDuplicate},
	{"GET", regexp.MustCompile(`^/order/certificate/\d+/duplicate$`), epDuplicateList},
	{"PUT", regexp.MustCompile(`^/order/certificate/\d+/dcv-random-value$`), epDCVRandomValue},
	{"POST", regexp.MustCompile(`^/order/certificate/[a-z_]+$`), epOrderCreate},
	{"GET", regexp.MustCompile(`^/request/\d+$`), epRequestInfo},
	{"GET", regexp.MustCompile(`^/certificate/\d+/download/format/pem_all$`), epDownload},
}

// recordingProxy serves the fake and keeps every exchange.
func recordingProxy(t *testing.T, srv *fake.Server) (string, func() []exchange) {
	t.Helper()
	var (
		mu   sync.Mutex
		seen []exchange
	)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, r)
		path := strings.TrimPrefix(r.URL.Path, fake.Prefix)
		ex := exchange{status: rec.Code, request: body, got: rec.Body.Bytes()}
		for _, rt := range routes {
			if rt.method == r.Method && rt.re.MatchString(path) {
				ex.endpoint = rt.endpoint
			}
		}
		mu.Lock()
		seen = append(seen, ex)
		mu.Unlock()
		maps.Copy(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL + fake.Prefix, func() []exchange {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(seen)
	}
}

// TestCorpusOfTheFake runs every call certorder makes against the fake and
// puts both sides through the corpus checks: certorder's bodies have only
// documented fields, and the fake's answers decode and have only
// documented fields.
func TestCorpusOfTheFake(t *testing.T) {
	srv, err := fake.New(fake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	base, seen := recordingProxy(t, srv)
	org, container, three, platform := int64(7), int64(9), int32(3), int32(45)
	spec := &v1alpha1.DigiCertIssuerSpec{
		ProductNameID: "ssl_basic", OrganizationID: &org, ContainerID: &container, ServerPlatformID: &platform,
		DCVMethod: "dns-txt-token", PaymentMethod: "balance", SkipApproval: true, CACertID: "ABC",
		OrganizationUnits: []string{"Ops"}, Validity: &v1alpha1.Validity{Years: &three},
		CustomFields: []v1alpha1.CustomField{{MetadataID: 1, Value: "x"}},
	}
	c, err := New("key", WithBaseURL(base), WithIssuerSpec(spec))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	since := time.Now()
	csr := []byte(testCSR(t, "app.example.com"))
	req := provider.Request{Action: provider.ActionOrder, CSR: csr, CommonName: "app.example.com", DNSNames: []string{"app.example.com"}, Validity: 90 * 24 * time.Hour, Comment: "default/web"}
	if err := c.Check(ctx); err != nil {
		t.Fatal(err)
	}
	srv.SetBehavior(fake.Behavior{Shape: fake.CertificateID, PendingPolls: 1})
	st, err := c.Submit(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	pollUntilDone(t, c, provider.PollRequest{Action: provider.ActionOrder, Handle: st.Handle, CSR: csr})
	if _, _, err := c.Find(ctx, req, since); err != nil {
		t.Fatal(err)
	}
	srv.SetBehavior(fake.Behavior{Shape: fake.NeedsApproval, PendingPolls: 1})
	for _, action := range []provider.Action{provider.ActionReissue, provider.ActionDuplicate} {
		r := req
		r.Action, r.OrderID, r.CSR = action, st.Handle.OrderID, []byte(testCSR(t, "app.example.com"))
		got, err := c.Submit(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		pollUntilDone(t, c, provider.PollRequest{Action: action, Handle: got.Handle, CSR: r.CSR})
	}
	srv.SetBehavior(fake.Behavior{Shape: fake.NeedsApproval, Reject: "not ours"})
	r := req
	r.CSR = []byte(testCSR(t, "app.example.com"))
	rejected, err := c.Submit(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.Poll(ctx, provider.PollRequest{Action: provider.ActionOrder, Handle: rejected.Handle, CSR: r.CSR}); err != nil || got.State != provider.StateFailed {
		t.Fatalf("a rejected order: %v, %+v", err, got)
	}
	covered := map[string]bool{}
	issuedDuplicate := false
	for _, ex := range seen() {
		if ex.endpoint == "" || ex.status >= 300 {
			t.Fatalf("an unexpected exchange: %d %s", ex.status, ex.got)
		}
		covered[ex.endpoint] = true
		if ex.endpoint == epDuplicateList {
			issuedDuplicate = issuedDuplicate || listsIssuedAsApproved(t, ex.got)
		}
		if allowed, ok := documentedRequest[ex.endpoint]; ok {
			if extra := undocumented(jsonPaths(t, ex.request), allowed); len(extra) > 0 {
				t.Errorf("certorder sent %s fields its docs do not list: %v", ex.endpoint, extra)
			}
		}
		if err := decodeAnswer(ex.endpoint, ex.got); err != nil {
			t.Errorf("the fake's answer to %s: %v", ex.endpoint, err)
		}
		if _, ok := documentedResponse[ex.endpoint]; ok {
			if extra := undocumented(jsonPaths(t, ex.got), examplePaths(t, ex.endpoint)); len(extra) > 0 {
				t.Errorf("the fake answered %s with fields its docs do not list: %v", ex.endpoint, extra)
			}
		}
	}
	if !issuedDuplicate {
		t.Error("the fake never listed an issued duplicate as the docs do: approved, with serial, thumbprint and validity")
	}
	for _, ep := range []string{epUserMe, epOrderCreate, epOrderInfo, epOrderList, epReissue, epReissueList, epDuplicate, epDuplicateList, epRequestInfo, epDownload} {
		if !covered[ep] {
			t.Errorf("no call to %s was checked", ep)
		}
	}
}

// listsIssuedAsApproved tells whether a duplicate list holds an entry in
// the shape of the docs' example: "approved", with its certificate data.
func listsIssuedAsApproved(t *testing.T, body []byte) bool {
	t.Helper()
	var list certificateList
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(list.Certificates, func(e orderCertificateEntry) bool {
		return e.Status == "approved" && e.SerialNumber != "" && e.Thumbprint != "" && e.ValidFrom != "" && e.ValidTill != ""
	})
}

func pollUntilDone(t *testing.T, c *Client, pr provider.PollRequest) {
	t.Helper()
	for range 4 {
		st, err := c.Poll(context.Background(), pr)
		if err != nil {
			t.Fatal(err)
		}
		if st.State == provider.StateIssued {
			return
		}
	}
	t.Fatal("not issued after 4 polls")
}
