package openprovider

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/openprovider/fake"
)

// TestBatchedPolls: 200 orders of one credential that pend for 3 polls are
// polled with one GET /ssl/orders?status=REQ per tick, plus one GET each
// once they have left REQ: at most 2.5 Openprovider calls per certificate,
// the order included, where one GET per poll would make 5.
func TestBatchedPolls(t *testing.T) {
	const n = 200
	srv, c, clock := setup(t)
	srv.SetBehavior(fake.Behavior{PendingPolls: 3})
	ctx := context.Background()
	reqs := make([]provider.Request, n)
	handles := make([]provider.Handle, n)
	for i := range reqs {
		reqs[i] = newRequest(t, fmt.Sprintf("h%d.example.com", i))
		st, err := c.Submit(ctx, reqs[i])
		if err != nil {
			t.Fatal(err)
		}
		handles[i] = st.Handle
	}
	issued, ticks := 0, 0
	for issued < n {
		if ticks++; ticks > 10 {
			t.Fatalf("%d of %d issued after 10 ticks", issued, n)
		}
		clock.Add(time.Minute)
		for i := range reqs {
			if handles[i].OrderID == "" {
				continue
			}
			st, err := c.Poll(ctx, provider.PollRequest{Action: reqs[i].Action, Handle: handles[i], CSR: reqs[i].CSR})
			if err != nil {
				t.Fatal(err)
			}
			if st.State == provider.StateIssued {
				handles[i].OrderID = ""
				issued++
			}
		}
	}
	calls := srv.Calls()
	total := 0
	for route, k := range calls {
		if route != "POST /auth/login" {
			total += k
		}
	}
	t.Logf("calls %v in %d ticks: %.3f per certificate", calls, ticks, float64(total)/n)
	if float64(total)/n > 2.5 {
		t.Errorf("%d Openprovider calls for %d certificates, want at most 2.5 each", total, n)
	}
	if pages := (n + pageSize - 1) / pageSize; calls["GET /ssl/orders"] > ticks*pages {
		t.Errorf("%d list calls in %d ticks, want at most one listing (%d pages) a tick", calls["GET /ssl/orders"], ticks, pages)
	}
}

// TestOnePendingOrderIsReadByID: a single pending order is polled with its
// own GET; listing the account's REQ orders would cost as much or more.
func TestOnePendingOrderIsReadByID(t *testing.T) {
	srv, c, clock := setup(t)
	srv.SetBehavior(fake.Behavior{PendingPolls: 2})
	req := newRequest(t, "example.com")
	st, err := c.Submit(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []provider.State{provider.StatePending, provider.StatePending, provider.StateIssued} {
		clock.Add(time.Minute)
		mustPoll(t, c, req, st.Handle, want)
	}
	if calls := srv.Calls(); calls["GET /ssl/orders"] != 0 || calls["GET /ssl/orders/{id}"] != 3 {
		t.Errorf("calls %v, want 3 GETs of the order and no list", calls)
	}
}

// TestListedOrderIsAnsweredWithItsDetails: a poll answered from the
// listing says what a GET of the order says.
func TestListedOrderIsAnsweredWithItsDetails(t *testing.T) {
	srv, c, clock := setup(t)
	srv.SetBehavior(fake.Behavior{PendingPolls: 5})
	ctx := context.Background()
	var reqs []provider.Request
	var handles []provider.Handle
	for _, cn := range []string{"a.example.com", "b.example.com"} {
		req := newRequest(t, cn)
		st, err := c.Submit(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		reqs, handles = append(reqs, req), append(handles, st.Handle)
	}
	clock.Add(time.Minute)
	byID := mustPoll(t, c, reqs[0], handles[0], provider.StatePending)
	listed := mustPoll(t, c, reqs[1], handles[1], provider.StatePending)
	if calls := srv.Calls(); calls["GET /ssl/orders"] != 1 || calls["GET /ssl/orders/{id}"] != 1 {
		t.Fatalf("calls %v, want one GET of the first order, then one list", calls)
	}
	again := mustPoll(t, c, reqs[0], handles[0], provider.StatePending)
	if calls := srv.Calls(); calls["GET /ssl/orders"] != 1 || calls["GET /ssl/orders/{id}"] != 1 {
		t.Errorf("calls %v: the fresh listing should have answered", calls)
	}
	for _, st := range []provider.Status{byID, listed, again} {
		if st.OrderValidUntil.IsZero() || len(st.Message) < len("Openprovider order 1 is REQ, waiting for validation; validation: ") {
			t.Errorf("pending status %+v lacks the order's details", st)
		}
	}
}

// TestListFiltersByStatuses: the fake's GET /ssl/orders takes status as
// the swagger's array, any of the statuses given.
func TestListFiltersByStatuses(t *testing.T) {
	srv, c, _ := setup(t)
	srv.SetBehavior(fake.Behavior{PendingPolls: 5})
	ctx := context.Background()
	var ids []int
	for _, cn := range []string{"a.example.com", "b.example.com"} {
		st, err := c.Submit(ctx, newRequest(t, cn))
		if err != nil {
			t.Fatal(err)
		}
		id, _ := parseOrderID(st.Handle.OrderID)
		ids = append(ids, id)
	}
	if err := srv.ExpireOrder(fmt.Sprint(ids[1])); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		statuses []string
		want     []int
	}{
		{nil, ids},
		{[]string{"REQ"}, ids[:1]},
		{[]string{"EXP"}, ids[1:]},
		{[]string{"REQ", "EXP"}, ids},
		{[]string{"ACT"}, nil},
	} {
		list, err := c.listOrders(ctx, url.Values{"status": tt.statuses})
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, o := range list.Results {
			got = append(got, o.ID)
		}
		if !slices.Equal(got, tt.want) || list.Total != len(tt.want) {
			t.Errorf("status %v listed %v (total %d), want %v", tt.statuses, got, list.Total, tt.want)
		}
	}
}
