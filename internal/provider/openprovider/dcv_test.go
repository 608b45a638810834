package openprovider

import (
	"context"
	"strings"
	"testing"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/openprovider/fake"
)

func TestDNSRecordsFromAdditionalDataAndCheckByOrderState(t *testing.T) {
	srv, c, _ := setup(t)
	srv.SetBehavior(fake.Behavior{PendingPolls: 2})
	ctx := context.Background()
	req := newRequest(t, "example.com", "example.com", "www.example.com")
	st, err := c.Submit(ctx, req)
	if err != nil {
		t.Fatal(err)
	}

	recs, err := c.DNSRecords(ctx, st.Handle)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("records %+v, want one per name", recs)
	}
	for _, r := range recs {
		if r.Value == "" || !strings.HasSuffix(r.Name, "."+r.Domain+".") {
			t.Errorf("record %+v: want dns_record made absolute under its domain, and dns_value", r)
		}
	}

	verdict, err := c.CheckDNS(ctx, st.Handle)
	if err != nil {
		t.Fatal(err)
	}
	if len(verdict) != 2 || verdict[0].Validated || verdict[0].Status != "REQ" {
		t.Fatalf("verdict %+v while REQ, want both names pending", verdict)
	}

	// DNSRecords and CheckDNS read the order, which counts as a poll at
	// the fake: the next poll settles it.
	mustPoll(t, c, req, st.Handle, provider.StateIssued)
	verdict, err = c.CheckDNS(ctx, st.Handle)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range verdict {
		if !v.Validated {
			t.Errorf("%s not validated on an active order", v.Domain)
		}
	}
	if recs, err := c.DNSRecords(ctx, st.Handle); err != nil || len(recs) != 0 {
		t.Fatalf("an active order needs no records, got %+v (%v)", recs, err)
	}
}
