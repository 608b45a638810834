package digicert_test

import (
	"context"
	"testing"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/dnstest"
	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/digicert"
	"github.com/certorder/certorder/internal/provider/digicert/fake"
)

// dnsOrder places a dns-txt-token order for example.com and
// www.example.com at a fake that validates through a dnstest server.
func dnsOrder(t *testing.T) (*env, *dnstest.Server, provider.Handle) {
	t.Helper()
	dns, err := dnstest.Start(dnstest.Options{Zone: "example.com"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(dns.Close)
	e := newEnv(t, fake.Options{}, digicert.WithIssuerSpec(newSpec(func(s *v1alpha1.DigiCertIssuerSpec) {
		s.DCVMethod = "dns-txt-token"
		s.SkipApproval = true
	})))
	e.fake.SetBehavior(fake.Behavior{Shape: fake.CertificateID})
	e.fake.SetDNSServer(dns.Addr)
	csr := newCSR(t, "example.com", "www.example.com")
	st, err := e.client.Submit(context.Background(), request(provider.ActionOrder, "", csr, "example.com", "www.example.com"))
	if err != nil {
		t.Fatal(err)
	}
	return e, dns, st.Handle
}

func TestDNSRecordsOfPendingOrder(t *testing.T) {
	e, _, h := dnsOrder(t)
	recs, err := e.client.DNSRecords(context.Background(), h)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"_dnsauth.example.com.", "_dnsauth.www.example.com."}
	if len(recs) != len(want) {
		t.Fatalf("records %+v, want %v", recs, want)
	}
	for i, r := range recs {
		if r.Name != want[i] || r.Value == "" || r.Value != recs[0].Value {
			t.Errorf("record %d = %+v, want name %s and the order's random value", i, r, want[i])
		}
	}
}

func TestCheckDNSReportsPerDomainAndIssues(t *testing.T) {
	e, dns, h := dnsOrder(t)
	ctx := context.Background()
	recs, err := e.client.DNSRecords(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	value := recs[0].Value
	pr := provider.PollRequest{Action: provider.ActionOrder, Handle: h}

	steps := []struct {
		name      string
		publish   func()
		validated map[string]bool
		state     provider.State
	}{
		{"nothing published", func() {}, map[string]bool{}, provider.StatePending},
		{"value at the bare domain is not where the fake looks", func() { dns.SetTXT("example.com", value) }, map[string]bool{}, provider.StatePending},
		{"one of two", func() { dns.SetTXT("_dnsauth.example.com", value) }, map[string]bool{"example.com": true, "www.example.com": false}, provider.StatePending},
		{"both", func() { dns.SetTXT("_dnsauth.www.example.com", value) }, map[string]bool{"example.com": true, "www.example.com": true}, provider.StateIssued},
	}
	for _, s := range steps {
		s.publish()
		got, err := e.client.CheckDNS(ctx, h)
		if err != nil {
			t.Fatalf("%s: CheckDNS: %v", s.name, err)
		}
		if len(got) != len(s.validated) {
			t.Fatalf("%s: verdict %+v, want %v", s.name, got, s.validated)
		}
		for _, v := range got {
			if v.Validated != s.validated[v.Domain] {
				t.Errorf("%s: %s validated=%v, want %v", s.name, v.Domain, v.Validated, s.validated[v.Domain])
			}
		}
		st, err := e.client.Poll(ctx, pr)
		if err != nil {
			t.Fatal(err)
		}
		if st.State != s.state {
			t.Fatalf("%s: order %s (%s), want %s", s.name, st.State, st.Message, s.state)
		}
	}
	if recs, err := e.client.DNSRecords(ctx, h); err != nil || len(recs) != 0 {
		t.Fatalf("an issued order needs no records, got %+v (%v)", recs, err)
	}
}

func TestDNSRecordName(t *testing.T) {
	for in, want := range map[string]string{
		"example.com":      "_dnsauth.example.com.",
		"*.example.com":    "_dnsauth.example.com.",
		"www.example.com.": "_dnsauth.www.example.com.",
	} {
		if got := digicert.DNSRecordName(in); got != want {
			t.Errorf("DNSRecordName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDNSRecordsOfPendingReissue(t *testing.T) {
	e := newEnv(t, fake.Options{}, digicert.WithIssuerSpec(newSpec(func(s *v1alpha1.DigiCertIssuerSpec) { s.DCVMethod = "dns-txt-token" })))
	ctx := context.Background()
	orderID := issuedOrder(t, e, "app.example.com")
	if recs, err := e.client.DNSRecords(ctx, provider.Handle{OrderID: orderID}); err != nil || len(recs) != 0 {
		t.Fatalf("an issued order needs no records, got %+v (%v)", recs, err)
	}
	e.fake.SetBehavior(fake.Behavior{Shape: fake.NeedsApproval, PendingPolls: 5})
	csr := newCSR(t, "app.example.com")
	st, err := e.client.Submit(ctx, request(provider.ActionReissue, orderID, csr, "app.example.com"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := e.client.DNSRecords(ctx, provider.Handle{OrderID: orderID, RequestID: st.Handle.RequestID})
	if err != nil || len(recs) != 1 || recs[0].Name != "_dnsauth.app.example.com." || recs[0].Value == "" {
		t.Fatalf("records of a pending reissue: %+v (%v), want _dnsauth.app.example.com with the random value", recs, err)
	}
}
