package openprovider

import (
	"context"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/openprovider/fake"
)

// TestRenewalModes: whatever a renew does to the order (keeps its id,
// answers with a new order, takes it back to REQ), the renewal ends with a
// certificate of the request's CSR, and the renew is sent once, even when
// Submit is repeated or its answer was lost and Find runs.
func TestRenewalModes(t *testing.T) {
	for _, tt := range []struct {
		name    string
		mode    fake.RenewMode
		newID   bool
		lostAns bool
	}{
		{name: "keeps the id", mode: fake.RenewKeepsID},
		{name: "new order", mode: fake.RenewNewOrder, newID: true},
		{name: "back to REQ", mode: fake.RenewToREQ},
		{name: "keeps the id, answer lost", mode: fake.RenewKeepsID, lostAns: true},
		{name: "new order, answer lost", mode: fake.RenewNewOrder, newID: true, lostAns: true},
		{name: "back to REQ, answer lost", mode: fake.RenewToREQ, lostAns: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, c, clock := setup(t)
			ctx := context.Background()
			old := placeIssued(t, c, newRequest(t, "example.com", "example.com"))
			if err := srv.SetOrderEndsAt(old.Handle.OrderID, clock.Now().Add(10*24*time.Hour)); err != nil {
				t.Fatal(err)
			}
			srv.SetBehavior(fake.Behavior{Renew: tt.mode, PendingPolls: 1})
			since := clock.Now()
			req := newRequest(t, "example.com", "example.com")
			req.RenewalOfOrderID = old.Handle.OrderID
			st, err := c.Submit(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if tt.lostAns {
				found, ok, err := c.Find(ctx, req, since)
				if err != nil || !ok {
					t.Fatalf("Find after a renew whose answer was lost: found %v, %v", ok, err)
				}
				if found.Handle != st.Handle {
					t.Fatalf("Find answers %+v, the renew %+v", found.Handle, st.Handle)
				}
			}
			if (st.Handle.OrderID != old.Handle.OrderID) != tt.newID {
				t.Fatalf("renewal handle %q, old order %q", st.Handle.OrderID, old.Handle.OrderID)
			}
			// Submitting again (the ledger lost the handle) renews no more.
			again, err := c.Submit(ctx, req)
			if err != nil || again.Handle != st.Handle {
				t.Fatalf("second Submit: %+v, %v; want the handle %+v", again, err, st.Handle)
			}
			var done provider.Status
			for range 8 {
				done, err = c.Poll(ctx, provider.PollRequest{Action: req.Action, Handle: st.Handle, CSR: req.CSR, Since: since})
				if err != nil {
					t.Fatal(err)
				}
				if done.State != provider.StatePending {
					break
				}
			}
			if done.State != provider.StateIssued {
				t.Fatalf("renewal ends %s: %s", done.State, done.Message)
			}
			verifyChain(t, srv, done, req)
			if got := srv.Counts(); got.Renewals != 1 || got.Reissues != 1 || got.Orders != 1 {
				t.Fatalf("counts %+v, want 1 order, 1 renewal, 1 reissue", got)
			}
		})
	}
}

// TestRenewalNotDueIsAReissue: an order far from its end is not renewed
// (Openprovider would refuse) but reissued.
func TestRenewalNotDueIsAReissue(t *testing.T) {
	srv, c, _ := setup(t)
	old := placeIssued(t, c, newRequest(t, "example.com", "example.com"))
	req := newRequest(t, "example.com", "example.com")
	req.RenewalOfOrderID = old.Handle.OrderID
	st, err := c.Submit(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	mustPoll(t, c, req, st.Handle, provider.StatePending)
	verifyChain(t, srv, mustPoll(t, c, req, st.Handle, provider.StateIssued), req)
	if got := srv.Counts(); got.Renewals != 0 || got.Reissues != 1 {
		t.Fatalf("counts %+v, want no renewal and 1 reissue", got)
	}
}
