package openprovider

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/openprovider/fake"
)

// TestEnableDNSAutomationIsSent: the issuer's spec.dcv.enableDNSAutomation
// reaches Openprovider on orders and reissues.
func TestEnableDNSAutomationIsSent(t *testing.T) {
	for _, enabled := range []bool{false, true} {
		srv := newFake(t, fake.Options{})
		rec := &recorder{}
		c := newClient(t, srv, newClock(), WithHTTPClient(&http.Client{Transport: rec}), WithOrderSettings(OrderSettings{
			ProductID: testProduct, EnableDNSAutomation: enabled,
		}))
		st, err := c.Submit(context.Background(), newRequest(t, "example.com", "example.com"))
		if err != nil {
			t.Fatal(err)
		}
		req := newRequest(t, "example.com", "example.com")
		req.Action, req.OrderID = provider.ActionReissue, st.Handle.OrderID
		if _, err := c.Submit(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		for _, call := range []string{"POST /v1beta/ssl/orders", "POST /v1beta/ssl/orders/" + st.Handle.OrderID + "/reissue"} {
			var body map[string]any
			if err := json.Unmarshal(rec.body(call), &body); err != nil {
				t.Fatalf("%s: %v", call, err)
			}
			if body["enable_dns_automation"] != enabled {
				t.Errorf("%s sent enable_dns_automation %v, want %v", call, body["enable_dns_automation"], enabled)
			}
		}
	}
}
