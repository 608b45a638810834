package digicert_test

import (
	"context"
	"strings"
	"testing"
	"time"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/digicert"
	"github.com/certorder/certorder/internal/provider/digicert/fake"
	"github.com/certorder/certorder/internal/provider/fakeca"
	tu "github.com/certorder/certorder/internal/testutil"
)

func TestNoSecretsInLogsOrErrors(t *testing.T) {
	ctx, logs := tu.CaptureLogs(context.Background())

	spec := newSpec(func(s *v1alpha1.DigiCertIssuerSpec) { s.DCVMethod = "dns-txt-token" })
	e := newEnv(t, fake.Options{}, digicert.WithIssuerSpec(spec))
	e.fake.SetBehavior(fake.Behavior{Shape: fake.CertificateID, PendingPolls: 1})
	since := time.Now()
	csr := newCSR(t, "app.example.com")
	dup := newCSR(t, "app.example.com")
	var errs []error
	note := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}

	st, err := e.client.Submit(ctx, request(provider.ActionOrder, "", csr, "app.example.com"))
	note(err)
	for range 3 {
		_, err = e.client.Poll(ctx, provider.PollRequest{Action: provider.ActionOrder, Handle: st.Handle, CSR: csr})
		note(err)
	}
	_, _, err = e.client.Find(ctx, request(provider.ActionOrder, "", csr, "app.example.com"), since)
	note(err)
	e.fake.Faults().Add(fakeca.Fault{Kind: fakeca.DropAfterCommit, Method: "POST", Times: 1})
	_, err = e.client.Submit(ctx, request(provider.ActionDuplicate, st.Handle.OrderID, dup, "app.example.com"))
	note(err)
	bad, err := digicert.New(testKey+"-revoked", digicert.WithBaseURL(e.url))
	if err != nil {
		t.Fatal(err)
	}
	note(bad.Check(ctx))

	if len(errs) != 2 {
		t.Fatalf("errors %v, want the dropped duplicate and the bad key", errs)
	}
	out := logs()
	if !strings.Contains(out, `"endpoint"="POST /order/certificate/{product_name_id}"`) || !strings.Contains(out, `"orderID"="`+st.Handle.OrderID+`"`) {
		t.Fatalf("the debug log lacks endpoints and order ids:\n%s", out)
	}
	secrets := []string{testKey, "BEGIN CERTIFICATE REQUEST", csrBody(csr), csrBody(dup)}
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Fatalf("the log holds %q:\n%s", s, out)
		}
		for _, err := range errs {
			if strings.Contains(err.Error(), s) {
				t.Fatalf("error %q holds %q", err, s)
			}
		}
	}
}

// csrBody is a line from the middle of a PEM CSR.
func csrBody(csr []byte) string {
	return strings.Split(string(csr), "\n")[2]
}
