package digicert_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/digicert"
	"github.com/certorder/certorder/internal/provider/digicert/fake"
	"github.com/certorder/certorder/internal/provider/fakeca"
)

// The list-duplicates docs show an issued duplicate as "approved": it is
// issued, and an "approved" entry without certificate data is settled by
// the download (404: not yet).
func TestDuplicateListedApprovedIsIssued(t *testing.T) {
	e, rec := newRecordedEnv(t, fake.Options{})
	ctx := context.Background()
	orderID := issuedOrder(t, e, "app.example.com")
	e.fake.SetBehavior(fake.Behavior{Shape: fake.CertificateID, PendingPolls: 1})
	csr := newCSR(t, "app.example.com")
	st, err := e.client.Submit(ctx, request(provider.ActionDuplicate, orderID, csr, "app.example.com"))
	if err != nil {
		t.Fatal(err)
	}
	pr := provider.PollRequest{Action: provider.ActionDuplicate, Handle: st.Handle, CSR: csr}
	first, err := e.client.Poll(ctx, pr)
	if err != nil || first.State != provider.StatePending || !strings.Contains(first.Message, `"approved" and cannot be downloaded yet`) {
		t.Fatalf("first poll: %v, %+v", err, first)
	}
	rec.last(t, "GET", "/download/format/pem_all")
	done, err := e.client.Poll(ctx, pr)
	if err != nil {
		t.Fatal(err)
	}
	checkIssued(t, e, done, csr, "app.example.com")
}

// Reissue: cert_validity inside certificate, only on a Multi-year Plan.
// Duplicate: the certificate object alone, and a message on its validity.
func TestOnOrderBodies(t *testing.T) {
	years := func(n int32) func(*v1alpha1.DigiCertIssuerSpec) {
		return func(s *v1alpha1.DigiCertIssuerSpec) { s.Validity = &v1alpha1.Validity{Years: &n} }
	}
	tests := []struct {
		name     string
		action   provider.Action
		spec     func(*v1alpha1.DigiCertIssuerSpec)
		validity time.Duration
		// top and cert are the keys expected at the top and in certificate.
		top, cert []string
		// days is the cert_validity.days expected; 0 for none.
		days    int
		message string
	}{
		{
			name: "reissue on a multi-year plan", action: provider.ActionReissue, spec: years(3), validity: 90 * 24 * time.Hour,
			top: []string{"certificate", "comments"}, cert: []string{"cert_validity", "common_name", "csr", "dns_names", "server_platform", "signature_hash"}, days: 90,
		},
		{
			name: "reissue on a one-year plan", action: provider.ActionReissue, spec: years(1), validity: 90 * 24 * time.Hour,
			top: []string{"certificate", "comments"}, cert: []string{"common_name", "csr", "dns_names", "server_platform", "signature_hash"},
			message: "not on a Multi-year Plan",
		},
		{
			name: "reissue without a validity", action: provider.ActionReissue, spec: years(3),
			top: []string{"certificate", "comments"}, cert: []string{"common_name", "csr", "dns_names", "server_platform", "signature_hash"},
		},
		{
			name: "duplicate", action: provider.ActionDuplicate, spec: years(3), validity: 90 * 24 * time.Hour,
			top: []string{"certificate"}, cert: []string{"common_name", "csr", "dns_names", "server_platform", "signature_hash"},
			message: "a duplicate's validity is DigiCert's choice",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, rec := newRecordedEnv(t, fake.Options{}, digicert.WithIssuerSpec(newSpec(tt.spec)))
			orderID := issuedOrder(t, e, "app.example.com", "www.example.com")
			req := request(tt.action, orderID, newCSR(t, "app.example.com", "www.example.com"), "app.example.com", "www.example.com")
			req.Validity = tt.validity
			st, err := e.client.Submit(context.Background(), req)
			if err != nil || st.State != provider.StateIssued {
				t.Fatalf("Submit: %v, %+v", err, st)
			}
			if !strings.Contains(st.Message, tt.message) {
				t.Fatalf("message %q lacks %q", st.Message, tt.message)
			}
			var body map[string]json.RawMessage
			if err := json.Unmarshal(rec.last(t, "POST", "/"+strings.ToLower(string(tt.action))).body, &body); err != nil {
				t.Fatal(err)
			}
			var cert map[string]json.RawMessage
			if err := json.Unmarshal(body["certificate"], &cert); err != nil {
				t.Fatal(err)
			}
			if got := slices.Sorted(maps.Keys(body)); !slices.Equal(got, tt.top) {
				t.Fatalf("top-level fields %v, want %v", got, tt.top)
			}
			if got := slices.Sorted(maps.Keys(cert)); !slices.Equal(got, tt.cert) {
				t.Fatalf("certificate fields %v, want %v", got, tt.cert)
			}
			if tt.days > 0 && string(cert["cert_validity"]) != fmt.Sprintf(`{"days":%d}`, tt.days) {
				t.Fatalf("cert_validity %s, want %d days", cert["cert_validity"], tt.days)
			}
		})
	}
}

// The download asks for the type its docs serve; the fake answers 406 to
// anything else.
func TestDownloadAsksForPEM(t *testing.T) {
	e, rec := newRecordedEnv(t, fake.Options{})
	e.fake.SetBehavior(fake.Behavior{Shape: fake.CertificateID})
	csr := newCSR(t, "app.example.com")
	st, err := e.client.Submit(context.Background(), request(provider.ActionOrder, "", csr, "app.example.com"))
	if err != nil {
		t.Fatal(err)
	}
	checkIssued(t, e, pollDone(t, e.client, provider.PollRequest{Action: provider.ActionOrder, Handle: st.Handle, CSR: csr}, 2), csr)
	if got := rec.last(t, "GET", "/download/format/pem_all").accept; got != "application/x-pem-file" {
		t.Fatalf("Accept %q", got)
	}
	if got := rec.last(t, "GET", "/order/certificate/"+st.Handle.OrderID).accept; got != "application/json" {
		t.Fatalf("Accept of a JSON call %q", got)
	}
}

// An immediate certificate_chain is checked as a download is.
func TestImmediateChainIsVerified(t *testing.T) {
	e := newEnv(t, fake.Options{})
	e.fake.SetBehavior(fake.Behavior{Shape: fake.Immediate, Misissue: true})
	st, err := e.client.Submit(context.Background(), request(provider.ActionOrder, "", newCSR(t, "app.example.com"), "app.example.com"))
	if err != nil || st.State != provider.StateFailed || st.Chain != nil || st.Handle.OrderID == "" {
		t.Fatalf("Submit: %v, %+v", err, st)
	}
	containsAll(t, st.Message, []string{"does not answer the request", "does not certify the CSR's public key"})

	e.fake.SetBehavior(fake.Behavior{Shape: fake.Immediate})
	csr := newCSR(t, "app.example.com")
	st, err = e.client.Submit(context.Background(), request(provider.ActionOrder, "", csr, "app.example.com"))
	if err != nil || st.State != provider.StateIssued {
		t.Fatalf("a good immediate chain: %v, %+v", err, st)
	}
}

// Every documented order status is mapped; an unknown one is quoted.
func TestOrderStatuses(t *testing.T) {
	tests := []struct {
		status  string
		state   provider.State
		message []string
	}{
		{"issued", provider.StateIssued, nil},
		{"renewed", provider.StateIssued, nil},
		{"not_renewed", provider.StateIssued, nil},
		{"pending", provider.StatePending, []string{`is "pending"`}},
		{"processing", provider.StatePending, []string{`is "processing"`}},
		{"needs_approval", provider.StatePending, []string{`is "needs_approval"`}},
		{"reissue_pending", provider.StatePending, []string{`is "reissue_pending"`}},
		{"waiting_pickup", provider.StatePending, []string{`is "waiting_pickup"`}},
		{"rejected", provider.StateFailed, []string{`is "rejected"`}},
		{"canceled", provider.StateFailed, []string{`is "canceled"`}},
		{"revoked", provider.StateFailed, []string{`is "revoked"`}},
		{"expired", provider.StateFailed, []string{`is "expired"`}},
		{"on_hold_for_review", provider.StatePending, []string{`is "on_hold_for_review"`, `does not know the status "on_hold_for_review"`}},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			e := newEnv(t, fake.Options{})
			e.fake.SetBehavior(fake.Behavior{Shape: fake.Immediate})
			csr := newCSR(t, "app.example.com")
			st, err := e.client.Submit(context.Background(), request(provider.ActionOrder, "", csr, "app.example.com"))
			if err != nil {
				t.Fatal(err)
			}
			view, _ := e.fake.Order(mustID(t, st.Handle.OrderID))
			info := map[string]any{
				"id": view.ID, "status": tt.status, "order_valid_till": view.ValidTill.Format(time.DateOnly),
				"certificate": map[string]any{"id": view.CertificateID, "common_name": view.CommonName, "csr": view.CSR},
			}
			body, _ := json.Marshal(info)
			e.fake.Faults().Add(fakeca.Fault{Kind: fakeca.ServerError, Status: 200, Method: "GET", PathPrefix: fake.Prefix + "/order/certificate/" + st.Handle.OrderID, Times: 1, Body: string(body)})
			got, err := e.client.Poll(context.Background(), provider.PollRequest{Action: provider.ActionOrder, Handle: provider.Handle{OrderID: st.Handle.OrderID}, CSR: csr})
			if err != nil || got.State != tt.state {
				t.Fatalf("Poll: %v, %s (%s), want %s", err, got.State, got.Message, tt.state)
			}
			containsAll(t, got.Message, tt.message)
		})
	}
}

// With a reused key the CSR repeats: a certificate already recorded, or
// issued before the submission, never answers it.
func TestReusedKeyNeverTakesAnOldCertificate(t *testing.T) {
	ctx := context.Background()
	csr := newCSR(t, "app.example.com")
	for _, action := range []provider.Action{provider.ActionReissue, provider.ActionDuplicate} {
		t.Run(string(action), func(t *testing.T) {
			e := newEnv(t, fake.Options{})
			orderID := issuedOrder(t, e, "app.example.com")
			since := time.Now()
			first, err := e.client.Submit(ctx, request(action, orderID, csr, "app.example.com"))
			if err != nil || first.State != provider.StateIssued {
				t.Fatalf("first: %v, %+v", err, first)
			}
			known := []string{first.Handle.CertificateID}
			req := request(action, orderID, csr, "app.example.com")
			req.Known = known
			if _, ok, err := e.client.Find(ctx, req, since); ok || err != nil {
				t.Fatalf("Find took the recorded certificate: %v, %v", ok, err)
			}
			bySerial := req
			bySerial.Known = []string{provider.SerialHex(first.Chain.Leaf)}
			if _, ok, err := e.client.Find(ctx, bySerial, since); ok || err != nil {
				t.Fatalf("Find took the certificate recorded by serial: %v, %v", ok, err)
			}
			pr := provider.PollRequest{Action: action, Handle: provider.Handle{OrderID: orderID}, CSR: csr, Known: known}
			if st, err := e.client.Poll(ctx, pr); err != nil || st.State != provider.StatePending {
				t.Fatalf("Poll took the recorded certificate: %v, %+v", err, st)
			}
			later := pr
			later.Known, later.Since = nil, time.Now().Add(72*time.Hour)
			if st, err := e.client.Poll(ctx, later); err != nil || st.State != provider.StatePending {
				t.Fatalf("Poll took a certificate older than the submission: %v, %+v", err, st)
			}
			second, err := e.client.Submit(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.client.Poll(ctx, pr)
			if err != nil || got.State != provider.StateIssued || got.Handle.CertificateID != second.Handle.CertificateID {
				t.Fatalf("Poll: %v, %+v, want certificate %s", err, got.Handle, second.Handle.CertificateID)
			}
		})
	}
	t.Run("Order", func(t *testing.T) {
		e := newEnv(t, fake.Options{})
		e.fake.SetBehavior(fake.Behavior{Shape: fake.Immediate})
		since := time.Now()
		first, err := e.client.Submit(ctx, request(provider.ActionOrder, "", csr, "app.example.com"))
		if err != nil || first.State != provider.StateIssued {
			t.Fatal(err)
		}
		req := request(provider.ActionOrder, "", csr, "app.example.com")
		req.Known = []string{first.Handle.CertificateID}
		if _, ok, err := e.client.Find(ctx, req, since); ok || err != nil {
			t.Fatalf("Find took the recorded order: %v, %v", ok, err)
		}
		pr := provider.PollRequest{Action: provider.ActionOrder, Handle: first.Handle, CSR: csr, Since: time.Now().Add(72 * time.Hour)}
		st, err := e.client.Poll(ctx, pr)
		if err != nil || st.State != provider.StatePending || !strings.Contains(st.Message, "no new certificate") {
			t.Fatalf("Poll took a certificate older than the submission: %v, %+v", err, st)
		}
	})
}
