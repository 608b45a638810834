package openprovider

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/openprovider/fake"
)

func TestPollStates(t *testing.T) {
	tests := []struct {
		name     string
		behavior fake.Behavior
		method   string
		after    func(*fake.Server, string)
		want     provider.State
		says     []string
	}{
		{name: "REQ with DNS validation", behavior: fake.Behavior{PendingPolls: 1}, method: "dns", want: provider.StatePending,
			says: []string{"is REQ", "status=open", "ca_status=requested", "example.com: DNS record \"_"}},
		{name: "REQ with file validation", behavior: fake.Behavior{PendingPolls: 1}, method: "http", want: provider.StatePending,
			says: []string{"file \"http://example.com/.well-known/pki-validation/"}},
		{name: "REQ with e-mail validation", behavior: fake.Behavior{PendingPolls: 1}, method: "email", want: provider.StatePending,
			says: []string{"approval mail to admin@example.com"}},
		{name: "ACT", want: provider.StateIssued, says: []string{"issued by Openprovider order"}},
		{name: "REJ", behavior: fake.Behavior{Reject: "CAA record forbids issuance"}, want: provider.StateFailed,
			says: []string{"rejected by the CA", "CAA record forbids issuance"}},
		{name: "FAI", behavior: fake.Behavior{Fail: "cancelled by the reseller"}, want: provider.StateFailed,
			says: []string{"failed or was cancelled", "cancelled by the reseller"}},
		{name: "EXP", want: provider.StateFailed, says: []string{"expired"},
			after: func(s *fake.Server, id string) { _ = s.ExpireOrder(id) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, fake.Options{})
			srv.SetBehavior(tt.behavior)
			c := newClient(t, srv, newClock(), WithOrderSettings(OrderSettings{
				ProductID: testProduct, DomainValidationMethod: tt.method, ApproverEmail: "admin@example.com",
			}))
			req := newRequest(t, "example.com", "example.com")
			st, err := c.Submit(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if tt.after != nil {
				tt.after(srv, st.Handle.OrderID)
			}
			got := mustPoll(t, c, req, st.Handle, tt.want)
			if got.State == provider.StateIssued {
				verifyChain(t, srv, got, req)
			}
			for _, s := range tt.says {
				if !strings.Contains(got.Message, s) {
					t.Errorf("message %q does not say %q", got.Message, s)
				}
			}
			if got.OrderValidUntil.Before(time.Now().Add(360 * 24 * time.Hour)) {
				t.Errorf("OrderValidUntil %s, want the end of the 1 year order", got.OrderValidUntil)
			}
		})
	}
}

// TestPaidOrderIsProvisioned: an order left in PAI is sent to the CA with
// PUT /ssl/orders/{id} and start_provision, at most once an hour.
func TestPaidOrderIsProvisioned(t *testing.T) {
	for _, tt := range []struct {
		name            string
		unprovisionable bool
		want            string
		puts            int
	}{
		{name: "provisioned", want: "REQ", puts: 1},
		{name: "stays paid", unprovisionable: true, want: "PAI", puts: 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, c, clock := setup(t)
			srv.SetBehavior(fake.Behavior{PendingPolls: 5, Unprovisionable: tt.unprovisionable})
			req := newRequest(t, "example.com", "example.com")
			body := createOrderRequest{
				ProductID: testProduct, Period: 1, CSR: string(req.CSR), SoftwareID: "linux",
				DomainValidationMethods: namesOf(req).validationMethods("dns"), SignatureHashAlgorithm: "sha2",
			}
			var out idData
			if err := c.call(context.Background(), "POST /ssl/orders", "/ssl/orders", nil, body, &out); err != nil {
				t.Fatal(err)
			}
			h := provider.Handle{OrderID: strconv.Itoa(out.ID)}
			st := mustPoll(t, c, req, h, provider.StatePending)
			if !strings.Contains(st.Message, "PAI") || !strings.Contains(st.Message, "start_provision") {
				t.Fatalf("poll of a PAI order says %q", st.Message)
			}
			if got := srv.OrderStatus(h.OrderID); got != tt.want {
				t.Fatalf("order is %s, want %s", got, tt.want)
			}
			st = mustPoll(t, c, req, h, provider.StatePending)
			if got := srv.Calls()["PUT /ssl/orders/{id}"]; got != tt.puts {
				t.Fatalf("%d PUTs within the hour, want %d (message %q)", got, tt.puts, st.Message)
			}
			clock.Add(nudgeEvery)
			mustPoll(t, c, req, h, provider.StatePending)
			if got, want := srv.Calls()["PUT /ssl/orders/{id}"], tt.puts+map[bool]int{true: 1}[tt.unprovisionable]; got != want {
				t.Fatalf("%d PUTs after an hour, want %d", got, want)
			}
		})
	}
}

func TestOrder(t *testing.T) {
	_, c, _ := setup(t)
	issued := placeIssued(t, c, newRequest(t, "example.com", "example.com", "www.example.com"))
	o, err := c.Order(context.Background(), issued.Handle.OrderID)
	if err != nil {
		t.Fatal(err)
	}
	if o.ID != issued.Handle.OrderID || o.State != provider.OrderActive || o.CommonName != "example.com" ||
		strings.Join(o.DNSNames, ",") != "example.com,www.example.com" || !o.ValidUntil.Equal(issued.OrderValidUntil) {
		t.Fatalf("order %+v", o)
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]time.Time{
		"2019-01-01 00:00:01":  time.Date(2019, 1, 1, 0, 0, 1, 0, time.UTC),
		"2019-01-01 0:00:01":   time.Date(2019, 1, 1, 0, 0, 1, 0, time.UTC),
		"2026-12-31 23:59:59":  time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC),
		"":                     {},
		"2019-01-01T00:00:01Z": {},
	} {
		if got := parseDate(in); !got.Equal(want) {
			t.Errorf("parseDate(%q) = %s, want %s", in, got, want)
		}
	}
}

// verifyChain checks an issued status: the chain verifies to the fake's
// root for the request's name, and the leaf certifies the CSR's key.
func verifyChain(t *testing.T, srv *fake.Server, st provider.Status, req provider.Request) {
	t.Helper()
	inter := x509.NewCertPool()
	for _, c := range st.Chain.Intermediates {
		inter.AddCert(c)
	}
	if _, err := st.Chain.Leaf.Verify(x509.VerifyOptions{Roots: srv.CA().Pool(), Intermediates: inter, DNSName: req.CommonName}); err != nil {
		t.Fatalf("the chain does not verify: %v", err)
	}
	if st.Chain.Root == nil || !st.Chain.Root.Equal(srv.CA().Root) {
		t.Fatal("the chain's root is not the fake's root")
	}
	block, _ := pem.Decode(req.CSR)
	csr, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Chain.MatchesCSR(csr); err != nil {
		t.Fatal(err)
	}
}
