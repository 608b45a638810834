package openprovider

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/openprovider/fake"
)

func TestOrderIsSentToTheCA(t *testing.T) {
	srv := newFake(t, fake.Options{})
	rec := &recorder{}
	c := newClient(t, srv, newClock(), WithHTTPClient(&http.Client{Transport: rec}), WithOrderSettings(OrderSettings{
		ProductID: testProduct, OrganizationHandle: "OR000001-NL", TechnicalHandle: "TE000001-NL",
	}))
	req := newRequest(t, "example.com", "example.com", "www.example.com")
	st, err := c.Submit(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if st.State != provider.StatePending || st.Handle.OrderID == "" {
		t.Fatalf("status %+v, want pending with an order id", st)
	}
	if got := srv.OrderStatus(st.Handle.OrderID); got != "REQ" {
		t.Fatalf("the order is %q at Openprovider, want REQ (PAI means start_provision was not sent)", got)
	}
	if got := srv.Counts().Orders; got != 1 {
		t.Fatalf("%d orders, want 1", got)
	}
	var body map[string]any
	if err := json.Unmarshal(rec.body("POST /v1beta/ssl/orders"), &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"product_id": 42.0, "period": 1.0, "software_id": "linux", "signature_hash_algorithm": "sha2",
		"autorenew": "off", "enable_dns_automation": false, "start_provision": true,
		"organization_handle": "OR000001-NL", "technical_handle": "TE000001-NL",
		"host_names": []any{"www.example.com"},
		"domain_validation_methods": []any{
			map[string]any{"host_name": "example.com", "method": "dns"},
			map[string]any{"host_name": "www.example.com", "method": "dns"},
		},
	}
	for k, v := range want {
		if !reflect.DeepEqual(body[k], v) {
			t.Errorf("%s = %v, want %v", k, body[k], v)
		}
	}
}

func TestSubmitRefusals(t *testing.T) {
	tests := []struct {
		name     string
		settings OrderSettings
		products []int64
		req      func(provider.Request) provider.Request
		text     string
	}{
		{name: "duplicate", settings: OrderSettings{ProductID: testProduct}, text: "no duplicate",
			req: func(r provider.Request) provider.Request {
				r.Action, r.OrderID = provider.ActionDuplicate, "1"
				return r
			}},
		{name: "no product", text: "productID is required"},
		{name: "period the CA refuses", settings: OrderSettings{ProductID: testProduct, Period: 3}, text: "code 10001: Invalid request: period must be 1 or 2"},
		{name: "unknown product", settings: OrderSettings{ProductID: 7}, products: []int64{testProduct}, text: "Product not found"},
		{name: "names the CSR lacks", settings: OrderSettings{ProductID: testProduct}, text: "host_names must be the CSR's SANs",
			req: func(r provider.Request) provider.Request { r.DNSNames = append(r.DNSNames, "other.example"); return r }},
		{name: "not a CSR", settings: OrderSettings{ProductID: testProduct}, text: "code 399",
			req: func(r provider.Request) provider.Request { r.CSR = []byte("garbage"); return r }},
		{name: "reissue of a bad id", settings: OrderSettings{ProductID: testProduct}, text: "not a positive number",
			req: func(r provider.Request) provider.Request {
				r.Action, r.OrderID = provider.ActionReissue, "abc"
				return r
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, fake.Options{Products: tt.products})
			c := newClient(t, srv, newClock(), WithOrderSettings(tt.settings))
			req := newRequest(t, "example.com", "example.com")
			if tt.req != nil {
				req = tt.req(req)
			}
			_, err := c.Submit(context.Background(), req)
			wantClass(t, err, "permanent")
			if !strings.Contains(err.Error(), tt.text) {
				t.Fatalf("error %q does not say %q", err, tt.text)
			}
			if got := srv.Counts().Orders; got != 0 {
				t.Fatalf("%d orders placed, want 0", got)
			}
		})
	}
}

func TestReissueDoesNotServeThePreviousCertificate(t *testing.T) {
	srv, c, _ := setup(t)
	first := newRequest(t, "example.com", "example.com")
	issued := placeIssued(t, c, first)

	srv.SetBehavior(fake.Behavior{StalePolls: 1, PendingPolls: 1})
	second := newRequest(t, "example.com", "example.com", "www.example.com")
	second.Action, second.OrderID = provider.ActionReissue, issued.Handle.OrderID
	st, err := c.Submit(context.Background(), second)
	if err != nil {
		t.Fatal(err)
	}
	if st.Handle.OrderID != issued.Handle.OrderID {
		t.Fatalf("reissue handle %q, want the order %q", st.Handle.OrderID, issued.Handle.OrderID)
	}
	stale := mustPoll(t, c, second, st.Handle, provider.StatePending)
	if !strings.Contains(stale.Message, "another CSR") {
		t.Fatalf("stale poll says %q", stale.Message)
	}
	mustPoll(t, c, second, st.Handle, provider.StatePending)
	done := mustPoll(t, c, second, st.Handle, provider.StateIssued)
	verifyChain(t, srv, done, second)
	if got := srv.Counts(); got.Reissues != 1 || got.Orders != 1 {
		t.Fatalf("counts %+v, want 1 order and 1 reissue", got)
	}
}

func TestRenewalOfAnEndedOrderPlacesANewOne(t *testing.T) {
	srv, c, _ := setup(t)
	old := placeIssued(t, c, newRequest(t, "example.com", "example.com"))
	if err := srv.ExpireOrder(old.Handle.OrderID); err != nil {
		t.Fatal(err)
	}
	req := newRequest(t, "example.com", "example.com")
	req.RenewalOfOrderID = old.Handle.OrderID
	st, err := c.Submit(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if st.Handle.OrderID == old.Handle.OrderID {
		t.Fatal("an expired order was reused")
	}
	if got := srv.Counts(); got.Orders != 2 || got.Renewals != 0 {
		t.Fatalf("counts %+v, want 2 orders, no renewal", got)
	}
}
