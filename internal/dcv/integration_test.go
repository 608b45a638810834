package dcv_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/dcv"
	"github.com/certorder/certorder/internal/dnstest"
	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/digicert"
	"github.com/certorder/certorder/internal/provider/digicert/fake"
	"github.com/certorder/certorder/internal/testutil"
)

const (
	callCheckDCV    = "PUT /order/certificate/{order_id}/check-dcv"
	callRandomValue = "PUT /order/certificate/{order_id}/dcv-random-value"
)

// world is a fake DigiCert that validates through a dnstest zone, a
// dns-txt-token order placed at it, and a Runner wired to both.
type world struct {
	dns    *dnstest.Server
	ca     *fake.Server
	client *digicert.Client
	order  provider.Handle
	clock  *clock
	runner *dcv.Runner
}

func newWorld(t *testing.T, cfg func(*dnstest.Server) *cmacme.ACMEChallengeSolverDNS01, secret string, sel *v1alpha1.DCVSelector, names ...string) *world {
	t.Helper()
	w := &world{dns: zone(t, "ns1.example.com"), clock: newClock()}
	ca, err := fake.New(fake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ca.Close)
	ca.SetBehavior(fake.Behavior{Shape: fake.CertificateID})
	ca.SetDNSServer(w.dns.Addr)
	w.ca = ca
	spec := &v1alpha1.DigiCertIssuerSpec{ProductNameID: "ssl_dv_geotrust", DCVMethod: "dns-txt-token", SkipApproval: true}
	w.client, err = digicert.New("key", digicert.WithBaseURL(ca.Start()), digicert.WithIssuerSpec(spec))
	if err != nil {
		t.Fatal(err)
	}
	st, err := w.client.Submit(context.Background(), provider.Request{
		Action: provider.ActionOrder, CSR: testutil.CSRPEM(testutil.WithCommonName(names[0]), testutil.WithDNSNames(names...)), CommonName: names[0], DNSNames: names[1:],
	})
	if err != nil {
		t.Fatal(err)
	}
	w.order = st.Handle
	w.runner = w.newRunner(t, cfg, secret, sel)
	return w
}

// newRunner builds a Runner from configuration alone, as the request path
// does on every reconcile and after a restart.
func (w *world) newRunner(t *testing.T, cfg func(*dnstest.Server) *cmacme.ACMEChallengeSolverDNS01, secret string, sel *v1alpha1.DCVSelector) *dcv.Runner {
	return &dcv.Runner{
		CA: "DigiCert", Validator: w.client, Solver: buildSolver(t, cfg(w.dns), secret), Selector: sel,
		Propagation: propagationOn(w.dns), CheckInterval: time.Minute, Now: w.clock.Now,
	}
}

// run steps until validated or n steps, advancing the clock by a minute
// between steps, and returns every message.
func (w *world) run(t *testing.T, st *v1alpha1.DCVState, n int) []string {
	t.Helper()
	var msgs []string
	for range n {
		res, err := w.runner.Step(context.Background(), w.order, *st)
		*st = res.State
		msgs = append(msgs, res.Message)
		if err != nil {
			t.Logf("step error: %v", err)
		}
		if res.Validated {
			break
		}
		w.clock.Advance(time.Minute)
	}
	return msgs
}

func (w *world) orderState(t *testing.T) provider.State {
	t.Helper()
	st, err := w.client.Poll(context.Background(), provider.PollRequest{Action: provider.ActionOrder, Handle: w.order})
	if err != nil {
		t.Fatal(err)
	}
	return st.State
}

func containsAll(t *testing.T, msgs []string, want ...string) {
	t.Helper()
	all := strings.Join(msgs, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("no message contains %q; messages:\n%s", w, all)
		}
	}
}

func TestHandsFreeValidationIssuesAndCleansUp(t *testing.T) {
	w := newWorld(t, rfc2136, tsigSecret, nil, "example.com", "www.example.com")
	var st v1alpha1.DCVState

	first, err := w.runner.Step(context.Background(), w.order, st)
	if err != nil {
		t.Fatal(err)
	}
	st = first.State
	if first.Checked || w.ca.Calls()[callCheckDCV] != 0 {
		t.Fatal("the first step asked DigiCert to check before the records were visible")
	}
	msgs := append([]string{first.Message}, w.run(t, &st, 6)...)
	containsAll(t, msgs,
		"publishing _dnsauth.example.com, _dnsauth.www.example.com",
		"asked DigiCert to check",
		"DigiCert: example.com validated, www.example.com validated",
	)
	if st.ValidatedAt == nil {
		t.Fatalf("not validated; messages: %q", msgs)
	}
	if got := w.ca.Calls()[callCheckDCV]; got != 1 {
		t.Errorf("check-dcv called %d times, want once", got)
	}
	if s := w.orderState(t); s != provider.StateIssued {
		t.Fatalf("order %s after validation, want Issued", s)
	}

	st, err = w.runner.Cleanup(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"_dnsauth.example.com", "_dnsauth.www.example.com"} {
		if got := w.dns.TXT(name); len(got) != 0 {
			t.Errorf("%s still holds %v after cleanup", name, got)
		}
	}
	for _, r := range st.Records {
		if r.RemovedAt == nil {
			t.Errorf("record %s not marked removed", r.Name)
		}
	}
	before, _ := w.dns.Updates()
	if _, err := w.runner.Cleanup(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	if after, _ := w.dns.Updates(); after != before {
		t.Errorf("a second cleanup sent %d updates, want none", after-before)
	}
}

func TestRestartNeitherRepublishesNorLeaks(t *testing.T) {
	w := newWorld(t, rfc2136, tsigSecret, nil, "example.com", "www.example.com")
	var st v1alpha1.DCVState
	res, err := w.runner.Step(context.Background(), w.order, st)
	if err != nil || !strings.HasPrefix(res.Message, "publishing") {
		t.Fatalf("first step: %q (%v)", res.Message, err)
	}
	published, _ := w.dns.Updates()

	// The state goes through the API server as JSON; a new process builds
	// a new Runner from configuration and carries on.
	raw, err := json.Marshal(res.State)
	if err != nil {
		t.Fatal(err)
	}
	var stored v1alpha1.DCVState
	if err := json.Unmarshal(raw, &stored); err != nil {
		t.Fatal(err)
	}
	w.runner = w.newRunner(t, rfc2136, tsigSecret, nil)
	w.run(t, &stored, 6)
	if stored.ValidatedAt == nil {
		t.Fatal("not validated after the restart")
	}
	if applied, _ := w.dns.Updates(); applied != published {
		t.Errorf("%d more updates after the restart, want none", applied-published)
	}
	if got := w.dns.TXT("_dnsauth.example.com"); len(got) != 1 {
		t.Errorf("_dnsauth.example.com holds %v, want the value once", got)
	}

	w.runner = w.newRunner(t, rfc2136, tsigSecret, nil)
	if _, err := w.runner.Cleanup(context.Background(), stored); err != nil {
		t.Fatal(err)
	}
	if a, b := w.dns.TXT("_dnsauth.example.com"), w.dns.TXT("_dnsauth.www.example.com"); len(a)+len(b) != 0 {
		t.Errorf("records leaked after cleanup: %v %v", a, b)
	}
}

func TestWrongTSIGIsClearAndDoesNotCallTheCA(t *testing.T) {
	w := newWorld(t, rfc2136, "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==", nil, "example.com")
	var st v1alpha1.DCVState
	msgs := w.run(t, &st, 5)
	for _, m := range msgs {
		if !strings.Contains(m, "publishing _dnsauth.example.com") {
			t.Errorf("message %q does not say what failed", m)
		}
		if !strings.Contains(m, "TSIG") {
			t.Errorf("message %q does not point at the TSIG key", m)
		}
	}
	calls := w.ca.Calls()
	if calls[callCheckDCV] != 0 || calls[callRandomValue] != 1 {
		t.Errorf("check-dcv %d, dcv-random-value %d calls over 5 failing steps; want 0 and 1", calls[callCheckDCV], calls[callRandomValue])
	}
	if s := w.orderState(t); s != provider.StatePending {
		t.Errorf("order %s, want Pending", s)
	}
}

func TestNameOutsideSelectorShowsItsToken(t *testing.T) {
	sel := &v1alpha1.DCVSelector{DNSZones: []string{"example.com"}}
	w := newWorld(t, rfc2136, tsigSecret, sel, "example.com", "shop.example.net")
	var st v1alpha1.DCVState
	msgs := w.run(t, &st, 4)
	value := st.Records[0].Value
	containsAll(t, msgs,
		"publishing _dnsauth.example.com",
		`outside the dcv selector, publish by hand: TXT _dnsauth.shop.example.net "`+value+`"`,
		"DigiCert: example.com validated, shop.example.net pending",
	)
	if got := w.dns.TXT("_dnsauth.shop.example.net"); len(got) != 0 {
		t.Errorf("published a record outside the selector: %v", got)
	}
	if s := w.orderState(t); s != provider.StatePending {
		t.Errorf("order %s, want Pending until the manual record is validated", s)
	}
	if got := w.ca.Calls()[callCheckDCV]; got > 4 {
		t.Errorf("check-dcv called %d times in 4 steps a minute apart", got)
	}
}
