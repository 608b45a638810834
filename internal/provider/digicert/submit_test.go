package digicert_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/digicert"
	"github.com/certorder/certorder/internal/provider/digicert/fake"
)

func TestSubmitOrderShapes(t *testing.T) {
	tests := []struct {
		name     string
		behavior fake.Behavior
		spec     func(*v1alpha1.DigiCertIssuerSpec)
		crlf     bool
		// submitted and polled are expected in the messages of the 201 and
		// of the first poll.
		submitted, polled []string
		wantRequestID     bool
		wantCertID        bool
	}{
		{
			name:          "immediate issuance",
			behavior:      fake.Behavior{Shape: fake.Immediate},
			wantRequestID: true, wantCertID: true,
		},
		{
			name:     "certificate id with dns-txt-token",
			behavior: fake.Behavior{Shape: fake.CertificateID, PendingPolls: 2},
			spec:     func(s *v1alpha1.DigiCertIssuerSpec) { s.DCVMethod = "dns-txt-token" },
			crlf:     true,
			submitted: []string{
				"pending validation", "DCV random value", "DCV token for www.shop.example.com",
			},
			polled:     []string{`is "pending"`, "dcv_method dns-txt-token", "DCV random value"},
			wantCertID: true,
		},
		{
			name:          "needs approval",
			behavior:      fake.Behavior{Shape: fake.NeedsApproval, PendingPolls: 1},
			submitted:     []string{"waiting for approval of request"},
			polled:        []string{`is "needs_approval"`, "waiting for approval of request"},
			wantRequestID: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := newSpec()
			if tt.spec != nil {
				tt.spec(spec)
			}
			e := newEnv(t, fake.Options{}, digicert.WithIssuerSpec(spec))
			e.fake.SetBehavior(tt.behavior)
			csr := newCSR(t, "shop.example.com", "www.shop.example.com")
			if tt.crlf {
				csr = bytes.ReplaceAll(csr, []byte("\n"), []byte("\r\n"))
			}
			ctx := context.Background()
			st, err := e.client.Submit(ctx, request(provider.ActionOrder, "", csr, "shop.example.com", "www.shop.example.com"))
			if err != nil {
				t.Fatalf("Submit: %v", err)
			}
			if (st.Handle.RequestID != "") != tt.wantRequestID || (st.Handle.CertificateID != "") != tt.wantCertID || st.Handle.OrderID == "" {
				t.Fatalf("handle %+v", st.Handle)
			}
			containsAll(t, st.Message, tt.submitted)
			if tt.behavior.Shape == fake.Immediate {
				checkIssued(t, e, st, csr, "shop.example.com", "www.shop.example.com")
			}
			pr := provider.PollRequest{Action: provider.ActionOrder, Handle: st.Handle, CSR: csr}
			if tt.polled != nil {
				first, err := e.client.Poll(ctx, pr)
				if err != nil || first.State != provider.StatePending {
					t.Fatalf("first poll: %v, %+v", err, first)
				}
				containsAll(t, first.Message, tt.polled)
			}
			done := pollDone(t, e.client, pr, tt.behavior.PendingPolls+1)
			checkIssued(t, e, done, csr, "shop.example.com", "www.shop.example.com")
			view, _ := e.fake.Order(mustID(t, done.Handle.OrderID))
			if !done.OrderValidUntil.Equal(view.ValidTill) {
				t.Fatalf("OrderValidUntil %v, want order_valid_till %v", done.OrderValidUntil, view.ValidTill)
			}
			if got := e.fake.Counts(); got != (fake.Counts{Orders: 1}) {
				t.Fatalf("counts %+v, want one order", got)
			}
		})
	}
}

func TestOrderRequestFields(t *testing.T) {
	i32 := func(v int32) *int32 { return &v }
	i64 := func(v int64) *int64 { return &v }
	full := newSpec(func(s *v1alpha1.DigiCertIssuerSpec) {
		s.OrganizationID, s.ContainerID = i64(4711), i64(12)
		s.OrganizationUnits = []string{"Platform"}
		s.SignatureHash, s.ServerPlatformID = "sha384", i32(45)
		s.DCVMethod, s.SkipApproval, s.PaymentMethod = "http-token", true, "balance"
		s.Validity = &v1alpha1.Validity{Days: i32(400)}
		s.CACertID = "ABCDEF0123"
		s.CustomFields = []v1alpha1.CustomField{{MetadataID: 7, Value: "cost-center-1"}}
	})
	tests := []struct {
		name      string
		spec      *v1alpha1.DigiCertIssuerSpec
		validity  time.Duration
		renewal   bool
		check     func(t *testing.T, r fake.OrderRequest)
		planYears int
		planDays  int
	}{
		{
			name: "defaults", spec: newSpec(), planYears: 1,
			check: func(t *testing.T, r fake.OrderRequest) {
				c := r.Certificate
				if c.SignatureHash != "sha256" || c.ServerPlatform == nil || c.ServerPlatform.ID != -1 || r.ValidityYears != 1 || c.CertValidity != nil {
					t.Fatalf("defaults not applied: %+v", r)
				}
			},
		},
		{
			name: "every field", spec: full, validity: 90*24*time.Hour + 5*time.Hour, renewal: true, planDays: 400,
			check: func(t *testing.T, r fake.OrderRequest) {
				c := r.Certificate
				ok := c.CommonName == "api.example.com" && strings.Join(c.DNSNames, ",") == "api.example.com,api2.example.com" &&
					strings.Contains(c.CSR, "BEGIN CERTIFICATE REQUEST") && c.SignatureHash == "sha384" && c.ServerPlatform.ID == 45 &&
					strings.Join(c.OrganizationUnits, ",") == "Platform" && c.CACertID == "ABCDEF0123" &&
					c.CertValidity != nil && c.CertValidity.Days == 90 &&
					r.Organization.ID == 4711 && r.Container.ID == 12 && r.OrderValidity.Days == 400 && r.ValidityYears == 0 &&
					r.SkipApproval && r.DCVMethod == "http-token" && r.PaymentMethod == "balance" && r.Comments == "default/web" &&
					len(r.CustomFields) == 1 && r.CustomFields[0] == fake.CustomField{MetadataID: 7, Value: "cost-center-1"} &&
					r.RenewalOfOrderID != 0
				if !ok {
					t.Fatalf("order request %+v", r)
				}
			},
		},
		{
			name: "plan in years", planYears: 3,
			spec: newSpec(func(s *v1alpha1.DigiCertIssuerSpec) { s.Validity = &v1alpha1.Validity{Years: i32(3)} }),
			check: func(t *testing.T, r fake.OrderRequest) {
				if r.ValidityYears != 3 || r.OrderValidity != nil {
					t.Fatalf("validity %d %+v", r.ValidityYears, r.OrderValidity)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, fake.Options{}, digicert.WithIssuerSpec(tt.spec))
			ctx := context.Background()
			req := request(provider.ActionOrder, "", newCSR(t, "api.example.com", "api2.example.com"), "api.example.com", "api.example.com", "api2.example.com")
			req.Validity = tt.validity
			if tt.renewal {
				prev, err := e.client.Submit(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				req.RenewalOfOrderID = prev.Handle.OrderID
			}
			st, err := e.client.Submit(ctx, req)
			if err != nil {
				t.Fatalf("Submit: %v", err)
			}
			view, _ := e.fake.Order(mustID(t, st.Handle.OrderID))
			if r := view.Request; r.DisableRenewalNotifications == nil || !*r.DisableRenewalNotifications || r.AutoRenew == nil || *r.AutoRenew != 0 {
				t.Fatalf("renewal by DigiCert not switched off: %+v", r)
			}
			tt.check(t, view.Request)
			if want := time.Now().UTC().Truncate(24*time.Hour).AddDate(tt.planYears, 0, tt.planDays); !view.ValidTill.Equal(want) {
				t.Fatalf("order_valid_till %v, want %v", view.ValidTill, want)
			}
			if tt.validity > 0 {
				if days := int(st.Chain.Leaf.NotAfter.Sub(st.Chain.Leaf.NotBefore).Hours() / 24); days != 90 {
					t.Fatalf("certificate valid %d days, want 90", days)
				}
			}
		})
	}
}

func TestSubmitRejectsBadRequestsWithoutCalling(t *testing.T) {
	e := newEnv(t, fake.Options{})
	noProduct, err := digicert.New(testKey, digicert.WithBaseURL(e.url))
	if err != nil {
		t.Fatal(err)
	}
	csr := newCSR(t, "a.example.com")
	if _, err := noProduct.Submit(context.Background(), request(provider.ActionOrder, "", csr, "a.example.com")); !isPermanent(err) {
		t.Errorf("no product: error %v, want permanent", err)
	}
	for name, req := range map[string]provider.Request{
		"no common name":     request(provider.ActionOrder, "", csr, ""),
		"order id not an id": request(provider.ActionReissue, "12/../34", csr, "a.example.com"),
		"no order id":        request(provider.ActionDuplicate, "", csr, "a.example.com"),
		"bad renewal id":     {Action: provider.ActionOrder, CSR: csr, CommonName: "a.example.com", RenewalOfOrderID: "x"},
		"unknown action":     request("Renew", "1", csr, "a.example.com"),
	} {
		if _, err := e.client.Submit(context.Background(), req); !isPermanent(err) {
			t.Errorf("%s: error %v, want permanent", name, err)
		}
	}
	if n := len(e.fake.Calls()); n != 0 {
		t.Fatalf("%d routes called, want none", n)
	}
}

func containsAll(t *testing.T, msg string, parts []string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Fatalf("message %q lacks %q", msg, p)
		}
	}
}
