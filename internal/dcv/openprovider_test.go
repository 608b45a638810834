package dcv_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/dcv"
	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/openprovider"
	opfake "github.com/certorder/certorder/internal/provider/openprovider/fake"
	"github.com/certorder/certorder/internal/testutil"
)

// TestOpenproviderRecordsPublishedThroughRFC2136 runs the Runner against
// the fake Openprovider, which keeps a DNS-validated order in REQ until it
// finds every additional_data record on the dnstest server.
func TestOpenproviderRecordsPublishedThroughRFC2136(t *testing.T) {
	z := zone(t, "ns1.example.com")
	ca, err := opfake.New(opfake.Options{Users: map[string]string{"user": "password"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ca.Close)
	ca.SetDNSServer(z.Addr)
	client, err := openprovider.New("user", "password",
		openprovider.WithBaseURL(ca.Start()), openprovider.WithHTTPClient(&http.Client{Timeout: 5 * time.Second}),
		openprovider.WithLimiter(nil), openprovider.WithOrderSettings(openprovider.OrderSettings{ProductID: 42}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	req := provider.Request{Action: provider.ActionOrder, CommonName: "example.com", DNSNames: []string{"example.com", "www.example.com"},
		CSR: testutil.CSRPEM(testutil.WithCommonName("example.com"), testutil.WithDNSNames("example.com", "www.example.com"))}
	sub, err := client.Submit(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	poll := func() provider.State {
		st, err := client.Poll(ctx, provider.PollRequest{Action: provider.ActionOrder, Handle: sub.Handle, CSR: req.CSR})
		if err != nil {
			t.Fatal(err)
		}
		return st.State
	}
	if s := poll(); s != provider.StatePending {
		t.Fatalf("order %s before any record, want Pending", s)
	}

	clk := newClock()
	r := &dcv.Runner{CA: "Openprovider", Validator: client, Solver: buildSolver(t, rfc2136(z), tsigSecret),
		Propagation: propagationOn(z), Now: clk.Now}
	var st v1alpha1.DCVState
	var msgs []string
	for range 4 {
		res, err := r.Step(ctx, sub.Handle, st)
		if err != nil {
			t.Fatal(err)
		}
		st, msgs = res.State, append(msgs, res.Message)
		clk.Advance(time.Minute)
	}
	containsAll(t, msgs, "publishing _", "asked Openprovider to check")
	if len(st.Records) != 2 {
		t.Fatalf("records %+v, want one per name", st.Records)
	}
	if s := poll(); s != provider.StateIssued {
		t.Fatalf("order %s with every record published, want Issued; messages %q", s, msgs)
	}
	if _, err := r.Cleanup(ctx, st); err != nil {
		t.Fatal(err)
	}
	for _, rec := range st.Records {
		if got := z.TXT(rec.Name); len(got) != 0 {
			t.Errorf("%s left behind: %v", rec.Name, got)
		}
	}
}
