package openprovider

import (
	"context"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/fakeca"
)

func TestFindByCSR(t *testing.T) {
	srv, c, clock := setup(t)
	ctx := context.Background()
	since := clock.Now()
	// Other orders: another name, and the same name with other keys, enough
	// of them to fill more than one page of the list.
	if _, err := c.Submit(ctx, newRequest(t, "other.example", "other.example")); err != nil {
		t.Fatal(err)
	}
	var wanted provider.Request
	var wantedID string
	for i := range pageSize + 3 {
		req := newRequest(t, "example.com", "example.com")
		st, err := c.Submit(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if i == pageSize+1 {
			wanted, wantedID = req, st.Handle.OrderID
		}
	}
	tests := []struct {
		name   string
		req    provider.Request
		since  time.Time
		wantID string
	}{
		{name: "the matching order, on the second page", req: wanted, since: since, wantID: wantedID},
		{name: "an unknown CSR", req: newRequest(t, "example.com", "example.com"), since: since},
		{name: "an order placed before since", req: wanted, since: since.Add(time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, found, err := c.Find(ctx, tt.req, tt.since)
			if err != nil {
				t.Fatal(err)
			}
			if found != (tt.wantID != "") || st.Handle.OrderID != tt.wantID {
				t.Fatalf("found %v, order %q; want order %q", found, st.Handle.OrderID, tt.wantID)
			}
		})
	}
	if got := srv.Calls()["GET /ssl/orders"]; got != 3*2 {
		t.Fatalf("%d list calls, want 6: two pages for each search", got)
	}
}

func TestOrderLostInTransitIsRecovered(t *testing.T) {
	srv, c, clock := setup(t)
	ctx := context.Background()
	srv.Faults().Add(fakeca.Fault{Kind: fakeca.DropAfterCommit, Method: "POST", PathPrefix: "/v1beta/ssl/orders", Times: 1})
	since := clock.Now()
	req := newRequest(t, "example.com", "example.com")
	_, err := c.Submit(ctx, req)
	wantClass(t, err, "transient")
	if got := srv.Counts().Orders; got != 1 {
		t.Fatalf("%d orders at Openprovider, want 1", got)
	}
	st, found, err := c.Find(ctx, req, since)
	if err != nil || !found {
		t.Fatalf("found %v, err %v; want the order placed", found, err)
	}
	if srv.OrderStatus(st.Handle.OrderID) != "REQ" || st.State != provider.StatePending {
		t.Fatalf("recovered %+v", st)
	}
	mustPoll(t, c, req, st.Handle, provider.StateIssued)
}

func TestFindReissueAndRenewal(t *testing.T) {
	srv, c, _ := setup(t)
	ctx := context.Background()
	issued := placeIssued(t, c, newRequest(t, "example.com", "example.com"))
	srv.Faults().Add(fakeca.Fault{Kind: fakeca.DropAfterCommit, Method: "POST", PathPrefix: "/v1beta/ssl/orders/", Times: 1})
	reissue := newRequest(t, "example.com", "example.com")
	reissue.Action, reissue.OrderID = provider.ActionReissue, issued.Handle.OrderID
	_, err := c.Submit(ctx, reissue)
	wantClass(t, err, "transient")

	renewal := reissue
	renewal.Action, renewal.OrderID, renewal.RenewalOfOrderID = provider.ActionOrder, "", issued.Handle.OrderID
	other := newRequest(t, "example.com", "example.com")
	other.Action, other.OrderID = provider.ActionReissue, issued.Handle.OrderID
	for _, tt := range []struct {
		name  string
		req   provider.Request
		found bool
	}{
		{name: "reissue", req: reissue, found: true},
		{name: "renewal", req: renewal, found: true},
		{name: "reissue with another CSR", req: other},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st, found, err := c.Find(ctx, tt.req, time.Now())
			if err != nil || found != tt.found || (found && st.Handle.OrderID != issued.Handle.OrderID) {
				t.Fatalf("found %v, status %+v, err %v", found, st, err)
			}
		})
	}
	_, _, err = c.Find(ctx, provider.Request{Action: provider.ActionDuplicate}, time.Now())
	wantClass(t, err, "permanent")
}
