package digicert_test

import (
	"context"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/digicert/fake"
	"github.com/certorder/certorder/internal/provider/fakeca"
)

func TestFindOrderByCSR(t *testing.T) {
	e := newEnv(t, fake.Options{})
	ctx := context.Background()
	since := time.Now()
	var csrs [][]byte
	var ids []string
	for _, cn := range []string{"shop.example.com", "shop.example.com", "shop.example.com", "other.example.com"} {
		csr := newCSR(t, cn)
		st, err := e.client.Submit(ctx, request(provider.ActionOrder, "", csr, cn))
		if err != nil {
			t.Fatal(err)
		}
		csrs, ids = append(csrs, csr), append(ids, st.Handle.OrderID)
	}
	tests := []struct {
		name    string
		csr     []byte
		cn      string
		since   time.Time
		wantID  string
		wantHit bool
	}{
		{name: "the one order whose CSR matches", csr: csrs[1], cn: "shop.example.com", since: since, wantID: ids[1], wantHit: true},
		{name: "unknown CSR", csr: newCSR(t, "shop.example.com"), cn: "shop.example.com", since: since},
		{name: "other common name", csr: csrs[3], cn: "shop.example.com", since: since},
		{name: "created before since", csr: csrs[0], cn: "shop.example.com", since: since.Add(3 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, found, err := e.client.Find(ctx, request(provider.ActionOrder, "", tt.csr, tt.cn), tt.since)
			if err != nil || found != tt.wantHit {
				t.Fatalf("Find: found %v, %v", found, err)
			}
			if tt.wantHit {
				if st.Handle.OrderID != tt.wantID || st.Handle.RequestID == "" {
					t.Fatalf("found %+v, want order %s with its request", st.Handle, tt.wantID)
				}
				checkIssued(t, e, st, tt.csr)
			}
		})
	}
}

func TestFindOrderReadsEveryPage(t *testing.T) {
	e := newEnv(t, fake.Options{})
	e.fake.SetBehavior(fake.Behavior{Shape: fake.NeedsApproval, PendingPolls: 10})
	ctx := context.Background()
	oldest := newCSR(t, "many.example.com")
	for i := range 101 {
		csr := oldest
		if i > 0 {
			csr = newCSR(t, "many.example.com")
		}
		if _, err := e.client.Submit(ctx, request(provider.ActionOrder, "", csr, "many.example.com")); err != nil {
			t.Fatal(err)
		}
	}
	st, found, err := e.client.Find(ctx, request(provider.ActionOrder, "", oldest, "many.example.com"), time.Now().Add(-time.Minute))
	if err != nil || !found || st.State != provider.StatePending {
		t.Fatalf("Find: %v, %v, %+v", found, err, st)
	}
	if pages := e.fake.Calls()["GET /order/certificate"]; pages != 2 {
		t.Fatalf("%d list pages read, want 2", pages)
	}
}

func TestDropAfterCommitIsRecovered(t *testing.T) {
	tests := []struct {
		action     provider.Action
		pathSuffix string
		counts     func(fake.Counts) int
	}{
		{action: provider.ActionOrder, pathSuffix: "/ssl_basic", counts: func(c fake.Counts) int { return c.Orders }},
		{action: provider.ActionDuplicate, pathSuffix: "/duplicate", counts: func(c fake.Counts) int { return c.Duplicates }},
		{action: provider.ActionReissue, pathSuffix: "/reissue", counts: func(c fake.Counts) int { return c.Reissues }},
	}
	for _, tt := range tests {
		t.Run(string(tt.action), func(t *testing.T) {
			e := newEnv(t, fake.Options{})
			ctx := context.Background()
			var orderID, prefix string
			if tt.action == provider.ActionOrder {
				prefix = fake.Prefix + "/order/certificate" + tt.pathSuffix
			} else {
				orderID = issuedOrder(t, e, "app.example.com")
				prefix = fake.Prefix + "/order/certificate/" + orderID + tt.pathSuffix
			}
			before := tt.counts(e.fake.Counts())
			since := time.Now()
			e.fake.Faults().Add(fakeca.Fault{Kind: fakeca.DropAfterCommit, Method: "POST", PathPrefix: prefix, Times: 1})
			req := request(tt.action, orderID, newCSR(t, "app.example.com"), "app.example.com")
			if _, err := e.client.Submit(ctx, req); !isTransient(err) {
				t.Fatalf("Submit: %v, want a transient error", err)
			}
			if n := tt.counts(e.fake.Counts()) - before; n != 1 {
				t.Fatalf("the fake placed %d, want 1", n)
			}
			st, found, err := e.client.Find(ctx, req, since)
			if err != nil || !found {
				t.Fatalf("Find: %v, %v", found, err)
			}
			checkIssued(t, e, st, req.CSR)
			if n := tt.counts(e.fake.Counts()) - before; n != 1 {
				t.Fatalf("after recovery the fake placed %d, want 1", n)
			}
		})
	}
}

func TestOrderView(t *testing.T) {
	e := newEnv(t, fake.Options{})
	ctx := context.Background()
	live := issuedOrder(t, e, "app.example.com", "www.app.example.com")
	expired := issuedOrder(t, e, "old.example.com")
	if err := e.fake.ExpireOrder(mustID(t, expired)); err != nil {
		t.Fatal(err)
	}
	e.fake.SetBehavior(fake.Behavior{Shape: fake.NeedsApproval, PendingPolls: 5})
	pending, err := e.client.Submit(ctx, request(provider.ActionOrder, "", newCSR(t, "new.example.com"), "new.example.com"))
	if err != nil {
		t.Fatal(err)
	}
	e.fake.SetBehavior(fake.Behavior{Reject: "no"})
	rejected, err := e.client.Submit(ctx, request(provider.ActionOrder, "", newCSR(t, "bad.example.com"), "bad.example.com"))
	if err != nil {
		t.Fatal(err)
	}
	pollDone(t, e.client, provider.PollRequest{Action: provider.ActionOrder, Handle: rejected.Handle}, 2)

	tests := []struct {
		id   string
		want provider.OrderState
	}{
		{live, provider.OrderActive},
		{expired, provider.OrderExpired},
		{pending.Handle.OrderID, provider.OrderPending},
		{rejected.Handle.OrderID, provider.OrderFailed},
	}
	for _, tt := range tests {
		o, err := e.client.Order(ctx, tt.id)
		if err != nil || o.State != tt.want || o.ID != tt.id {
			t.Fatalf("Order(%s): %v, %+v, want %s", tt.id, err, o, tt.want)
		}
		view, _ := e.fake.Order(mustID(t, tt.id))
		if !o.ValidUntil.Equal(view.ValidTill) || o.CommonName != view.CommonName {
			t.Fatalf("Order(%s) = %+v, fake holds %+v", tt.id, o, view)
		}
	}
	o, _ := e.client.Order(ctx, live)
	if len(o.DNSNames) != 2 || o.DNSNames[1] != "www.app.example.com" {
		t.Fatalf("DNS names %v", o.DNSNames)
	}
	if _, err := e.client.Order(ctx, "999"); !isPermanent(err) {
		t.Fatalf("unknown order: %v, want permanent", err)
	}
}
