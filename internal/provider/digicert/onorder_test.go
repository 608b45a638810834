package digicert_test

import (
	"context"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/digicert/fake"
)

// issuedOrder places an order that issues at once and returns its id.
func issuedOrder(t *testing.T, e *env, cn string, dnsNames ...string) string {
	t.Helper()
	e.fake.SetBehavior(fake.Behavior{Shape: fake.Immediate})
	st, err := e.client.Submit(context.Background(), request(provider.ActionOrder, "", newCSR(t, cn, dnsNames...), cn, dnsNames...))
	if err != nil || st.State != provider.StateIssued {
		t.Fatalf("order: %v, %+v", err, st)
	}
	return st.Handle.OrderID
}

func TestReissueAndDuplicateFoundByCSR(t *testing.T) {
	tests := []struct {
		action provider.Action
		// names of each submission; a reissue may change them.
		names [][]string
		want  func(fake.Counts) bool
	}{
		{
			action: provider.ActionReissue,
			names:  [][]string{{"app.example.com"}, {"app.example.com", "new.example.com"}, {"app.example.com"}},
			want:   func(c fake.Counts) bool { return c == fake.Counts{Orders: 1, Reissues: 3} },
		},
		{
			action: provider.ActionDuplicate,
			names:  [][]string{{"app.example.com"}, {"app.example.com"}, {"app.example.com"}},
			want:   func(c fake.Counts) bool { return c == fake.Counts{Orders: 1, Duplicates: 3} },
		},
	}
	for _, tt := range tests {
		t.Run(string(tt.action), func(t *testing.T) {
			e := newEnv(t, fake.Options{})
			ctx := context.Background()
			since := time.Now()
			orderID := issuedOrder(t, e, "app.example.com")
			e.fake.SetBehavior(fake.Behavior{Shape: fake.CertificateID, PendingPolls: 1})
			var polls []provider.PollRequest
			certIDs := map[string]bool{}
			for _, names := range tt.names {
				csr := newCSR(t, names[0], names[1:]...)
				st, err := e.client.Submit(ctx, request(tt.action, orderID, csr, names[0], names...))
				if err != nil || st.State != provider.StatePending || st.Handle.OrderID != orderID {
					t.Fatalf("Submit: %v, %+v", err, st)
				}
				pr := provider.PollRequest{Action: tt.action, Handle: st.Handle, CSR: csr}
				done := pollDone(t, e.client, pr, 3)
				checkIssued(t, e, done, csr, names...)
				certIDs[done.Handle.CertificateID] = true
				pr.Handle = done.Handle
				polls = append(polls, pr)
			}
			if len(certIDs) != len(tt.names) {
				t.Fatalf("certificate ids %v, want %d distinct", certIDs, len(tt.names))
			}
			for _, pr := range polls {
				again, err := e.client.Poll(ctx, pr)
				if err != nil || again.Handle.CertificateID != pr.Handle.CertificateID {
					t.Fatalf("poll among several: %v, %+v, want certificate %s", err, again.Handle, pr.Handle.CertificateID)
				}
				found, ok, err := e.client.Find(ctx, provider.Request{Action: tt.action, OrderID: orderID, CSR: pr.CSR}, since)
				if err != nil || !ok || found.Handle.CertificateID != pr.Handle.CertificateID {
					t.Fatalf("Find: %v, %v, %+v, want certificate %s", err, ok, found.Handle, pr.Handle.CertificateID)
				}
				checkIssued(t, e, found, pr.CSR)
			}
			unknown := newCSR(t, "app.example.com")
			if _, ok, err := e.client.Find(ctx, provider.Request{Action: tt.action, OrderID: orderID, CSR: unknown}, since); ok || err != nil {
				t.Fatalf("Find of an unknown CSR: %v, %v", ok, err)
			}
			st, err := e.client.Poll(ctx, provider.PollRequest{Action: tt.action, Handle: provider.Handle{OrderID: orderID}, CSR: unknown})
			if err != nil || st.State != provider.StatePending {
				t.Fatalf("Poll of an unknown CSR: %v, %+v", err, st)
			}
			if !tt.want(e.fake.Counts()) {
				t.Fatalf("counts %+v", e.fake.Counts())
			}
		})
	}
}

func TestReissueMovesOrderThroughReissuePending(t *testing.T) {
	e := newEnv(t, fake.Options{})
	ctx := context.Background()
	orderID := issuedOrder(t, e, "app.example.com")
	e.fake.SetBehavior(fake.Behavior{Shape: fake.NeedsApproval, PendingPolls: 1})
	csr := newCSR(t, "app.example.com", "api.example.com")
	st, err := e.client.Submit(ctx, request(provider.ActionReissue, orderID, csr, "app.example.com", "api.example.com"))
	if err != nil || st.Handle.RequestID == "" {
		t.Fatalf("Submit: %v, %+v", err, st)
	}
	view, _ := e.fake.Order(mustID(t, orderID))
	if view.Status != "reissue_pending" {
		t.Fatalf("order status %q, want reissue_pending", view.Status)
	}
	if o, err := e.client.Order(ctx, orderID); err != nil || o.State != provider.OrderActive {
		t.Fatalf("Order while reissue pending: %v, %+v", err, o)
	}
	done := pollDone(t, e.client, provider.PollRequest{Action: provider.ActionReissue, Handle: st.Handle, CSR: csr}, 3)
	checkIssued(t, e, done, csr, "api.example.com")
	view, _ = e.fake.Order(mustID(t, orderID))
	if view.Status != "issued" || !provider.SameCSR([]byte(view.CSR), csr) {
		t.Fatalf("after the reissue the order is %q with another CSR", view.Status)
	}
}

func TestRejectedSubmissionsFail(t *testing.T) {
	for _, action := range []provider.Action{provider.ActionOrder, provider.ActionReissue, provider.ActionDuplicate} {
		t.Run(string(action), func(t *testing.T) {
			e := newEnv(t, fake.Options{})
			ctx := context.Background()
			var orderID string
			if action != provider.ActionOrder {
				orderID = issuedOrder(t, e, "app.example.com")
			}
			e.fake.SetBehavior(fake.Behavior{Shape: fake.Immediate, Reject: "Domain control could not be validated"})
			csr := newCSR(t, "app.example.com")
			st, err := e.client.Submit(ctx, request(action, orderID, csr, "app.example.com"))
			if err != nil || st.State != provider.StatePending || st.Handle.RequestID == "" {
				t.Fatalf("Submit: %v, %+v", err, st)
			}
			done := pollDone(t, e.client, provider.PollRequest{Action: action, Handle: st.Handle, CSR: csr}, 2)
			if done.State != provider.StateFailed {
				t.Fatalf("state %s, want Failed", done.State)
			}
			containsAll(t, done.Message, []string{`"rejected"`, "Domain control could not be validated"})
		})
	}
}

func TestDuplicateNeedsTheOrdersNames(t *testing.T) {
	e := newEnv(t, fake.Options{})
	orderID := issuedOrder(t, e, "app.example.com")
	csr := newCSR(t, "app.example.com", "other.example.com")
	_, err := e.client.Submit(context.Background(), request(provider.ActionDuplicate, orderID, csr, "app.example.com", "other.example.com"))
	if !isPermanent(err) {
		t.Fatalf("error %v, want permanent", err)
	}
	if e.fake.Counts().Duplicates != 0 {
		t.Fatal("a duplicate with other names was accepted")
	}
}
