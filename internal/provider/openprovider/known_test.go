package openprovider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider"
)

// TestReusedKeyNeverTakesAnOldCertificate: with a reused key the CSR is the
// same from one renewal to the next, so Poll and Find never answer with a
// certificate already recorded (Known) or issued before the intent (Since).
func TestReusedKeyNeverTakesAnOldCertificate(t *testing.T) {
	_, c, clock := setup(t)
	ctx := context.Background()
	req := newRequest(t, "example.com", "example.com")
	first := placeIssued(t, c, req)
	serial := provider.SerialHex(first.Chain.Leaf)
	for _, tt := range []struct {
		name  string
		known []string
		since time.Time
		says  string
	}{
		{name: "recorded serial", known: []string{"other", serial}, says: "already recorded"},
		{name: "issued before the intent", since: clock.Now().Add(2 * time.Hour), says: "before this request"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pr := provider.PollRequest{Action: provider.ActionReissue, Handle: first.Handle, CSR: req.CSR, Known: tt.known, Since: tt.since}
			st, err := c.Poll(ctx, pr)
			if err != nil || st.State != provider.StatePending || !strings.Contains(st.Message, tt.says) {
				t.Fatalf("Poll: %s %q, %v; want pending saying %q", st.State, st.Message, err, tt.says)
			}
			find := req
			find.Known = tt.known
			if _, found, err := c.Find(ctx, find, tt.since); found || err != nil {
				t.Fatalf("Find: found %v, %v; want not found", found, err)
			}
		})
	}
}

// TestRenewalWithAReusedKey: the renewed order shows the old certificate
// for the very same CSR; it is reissued, and the new certificate answers.
func TestRenewalWithAReusedKey(t *testing.T) {
	srv, c, clock := setup(t)
	ctx := context.Background()
	req := newRequest(t, "example.com", "example.com")
	first := placeIssued(t, c, req)
	if err := srv.SetOrderEndsAt(first.Handle.OrderID, clock.Now().Add(10*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	renewal := req
	renewal.RenewalOfOrderID = first.Handle.OrderID
	renewal.Known = []string{provider.SerialHex(first.Chain.Leaf)}
	st, err := c.Submit(ctx, renewal)
	if err != nil {
		t.Fatal(err)
	}
	pr := provider.PollRequest{Action: renewal.Action, Handle: st.Handle, CSR: req.CSR, Known: renewal.Known}
	var done provider.Status
	for range 4 {
		if done, err = c.Poll(ctx, pr); err != nil || done.State != provider.StatePending {
			break
		}
	}
	if err != nil || done.State != provider.StateIssued {
		t.Fatalf("renewal: %s %q, %v", done.State, done.Message, err)
	}
	if done.Chain.Leaf.SerialNumber.Cmp(first.Chain.Leaf.SerialNumber) == 0 {
		t.Fatal("the renewal answered with the old certificate")
	}
	if got := srv.Counts(); got.Renewals != 1 || got.Reissues != 1 {
		t.Fatalf("counts %+v, want 1 renewal and 1 reissue", got)
	}
}
