package controllers_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
	opfake "github.com/certorder/certorder/internal/provider/openprovider/fake"
	tu "github.com/certorder/certorder/internal/testutil"
)

// TestLedgerExactlyOnce crashes certorder at every boundary of a
// submission and counts the paid actions at the fake CA.
func TestLedgerExactlyOnce(t *testing.T) {
	dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})

	for _, tc := range []struct {
		name string
		mode gateMode
	}{
		{"crash before the POST", holdBeforeCA},
		{"crash after the POST, before the ledger records its answer", holdAfterCA},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stop := startManager(t)
			ns := newNamespace(t)
			g := newGate(t, dcURL)
			readyDigiCertIssuer(t, ns, func(s *v1alpha1.DigiCertIssuerSpec) { s.URL = g.URL })
			g.set(tc.mode, 0)
			before := dc.Counts()
			cr := request(ns, "crash", "crash", "crash.example.com")
			createApproved(t, cr)
			g.crash(t, stop)
			waitRequest(t, cr, cmapi.CertificateRequestReasonIssued)
			wantPaid(t, before, dcfake.Counts{Orders: 1})
			if sub := order(t, ns, "crash").Status.Submission; sub == nil || sub.Phase != v1alpha1.SubmissionIssued {
				t.Errorf("ledger submission %+v, want Issued", sub)
			}
		})
	}

	// The cache drops a settled submission's CSR; a duplicate's poll needs
	// it, so the restarted reconciler reads such a ledger uncached.
	for _, tc := range []struct {
		name, crt string
		earlier   bool
		paid      dcfake.Counts
	}{
		{"crash after the ledger records an order's answer, before the request status", "late-status", false, dcfake.Counts{Orders: 1}},
		{"crash after the ledger records a duplicate's answer, before the request status", "late-dup", true, dcfake.Counts{Duplicates: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ns := newNamespace(t)
			blocked := &statusBlocker{name: tc.crt + "-2"}
			stop := startManagerOn(t, "0", blocked.wrap)
			readyDigiCertIssuer(t, ns)
			if tc.earlier {
				waitIssued(t, request(ns, tc.crt+"-1", tc.crt, tc.crt+".example.com"))
			}
			before := dc.Counts()
			cr := request(ns, tc.crt+"-2", tc.crt, tc.crt+".example.com")
			createApproved(t, cr)
			eventually(t, "the Issued status write is held", func() error { return want(blocked.held() > 0, "held: %d", blocked.held()) })
			if sub := order(t, ns, tc.crt).Status.Submission; sub == nil || sub.Phase != v1alpha1.SubmissionIssued {
				t.Fatalf("ledger submission %+v, want Issued before the request status", sub)
			}
			stop()
			startManager(t)
			waitRequest(t, cr, cmapi.CertificateRequestReasonIssued)
			wantPaid(t, before, tc.paid)
		})
	}

	t.Run("CA answers after the client timeout: no second POST", func(t *testing.T) {
		startManager(t)
		ns := newNamespace(t)
		g := gatedDigiCertIssuer(t, ns)
		// The submit deadline is 2x the suite's 2s CA timeout.
		g.set(lateCA, 6*time.Second)
		before := dc.Counts()
		cr := request(ns, "slow", "slow", "slow.example.com")
		createApproved(t, cr)
		g.waitInFlight(t)
		g.set(passThrough, 0)
		waitRequest(t, cr, cmapi.CertificateRequestReasonIssued)
		wantPaid(t, before, dcfake.Counts{Orders: 1})
	})

	t.Run("request deleted mid-submission and replaced: one order", func(t *testing.T) {
		stop := startManager(t)
		ns := newNamespace(t)
		g := gatedDigiCertIssuer(t, ns)
		g.set(holdAfterCA, 0)
		before := dc.Counts()
		first := request(ns, "web-1", "web", "web.example.com")
		createApproved(t, first)
		g.waitInFlight(t)
		stop()
		if err := k8s.Delete(context.Background(), first); err != nil {
			t.Fatal(err)
		}
		g.set(passThrough, 0)
		startManager(t)
		waitIssued(t, request(ns, "web-2", "web", "web.example.com"))
		wantPaid(t, before, dcfake.Counts{Orders: 1, Duplicates: 1})
	})
}

// TestLedgerTwoControllers: two certorders at once, each with its own
// stale cache, buy one order per Certificate.
func TestLedgerTwoControllers(t *testing.T) {
	startManager(t)
	startManager(t)
	ns := newNamespace(t)
	readyDigiCertIssuer(t, ns)
	dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
	before := dc.Counts()
	const n = 8
	var crs []*cmapi.CertificateRequest
	for i := range n {
		cr := request(ns, fmt.Sprintf("race-%d", i), fmt.Sprintf("race-%d", i), fmt.Sprintf("race-%d.example.com", i))
		createApproved(t, cr)
		crs = append(crs, cr)
	}
	for _, cr := range crs {
		waitRequest(t, cr, cmapi.CertificateRequestReasonIssued)
	}
	wantPaid(t, before, dcfake.Counts{Orders: n})
}

// TestLedgerUserAnnotations: user annotations are read once, and state
// annotations are certorder's alone.
func TestLedgerUserAnnotations(t *testing.T) {
	startManager(t)
	dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})

	t.Run("adopted order expires: exactly one new order, and the next renewal reuses it", func(t *testing.T) {
		ns := newNamespace(t)
		readyDigiCertIssuer(t, ns, func(s *v1alpha1.DigiCertIssuerSpec) { s.Adoption.Enabled = true })
		bought := boughtOutside(t, ns, "adopted.example.com")
		adopt := func(name string) *cmapi.CertificateRequest {
			cr := request(ns, name, "adopted", "adopted.example.com")
			tu.WithAnnotation(controllers.AnnotationOrderID, bought)(cr)
			return waitIssued(t, cr)
		}
		before := dc.Counts()
		adopt("adopted-1")
		id, _ := strconv.ParseInt(bought, 10, 64)
		if err := dc.ExpireOrder(id); err != nil {
			t.Fatal(err)
		}
		renewal := servedBy(t, adopt("adopted-2"))
		third := servedBy(t, adopt("adopted-3"))
		wantPaid(t, before, dcfake.Counts{Orders: 1, Duplicates: 2})
		if third == bought || third != renewal {
			t.Errorf("third request used order %s; want the renewal order %s", third, renewal)
		}
	})

	t.Run("another team's order: refused, nothing sent to the CA", func(t *testing.T) {
		owner := newNamespace(t)
		readyDigiCertIssuer(t, owner)
		theirs := servedBy(t, waitIssued(t, request(owner, "theirs", "theirs", "theirs.example.com")))
		ns := newNamespace(t)
		readyDigiCertIssuer(t, ns, func(s *v1alpha1.DigiCertIssuerSpec) { s.Adoption.Enabled = true })
		before := dc.Counts()
		cr := request(ns, "takeover", "takeover", "theirs.example.com")
		tu.WithAnnotation(controllers.AnnotationOrderID, theirs)(cr)
		createApproved(t, cr)
		wantFailed(t, cr, "already held by CertificateOrder "+owner+"/")
		wantPaid(t, before, dcfake.Counts{})
	})

	t.Run("adoption off by default: refused", func(t *testing.T) {
		ns := newNamespace(t)
		readyDigiCertIssuer(t, ns)
		bought := boughtOutside(t, ns, "off.example.com")
		before := dc.Counts()
		cr := request(ns, "off", "off", "off.example.com")
		tu.WithAnnotation(controllers.AnnotationOrderID, bought)(cr)
		createApproved(t, cr)
		wantFailed(t, cr, "spec.adoption.enabled is false")
		wantPaid(t, before, dcfake.Counts{})
	})

	t.Run("action Order left on the Certificate: one new order, then the policy", func(t *testing.T) {
		ns := newNamespace(t)
		readyDigiCertIssuer(t, ns)
		before := dc.Counts()
		waitIssued(t, request(ns, "force-1", "force", "force.example.com"))
		for _, name := range []string{"force-2", "force-3"} {
			cr := request(ns, name, "force", "force.example.com")
			tu.WithAnnotation(controllers.AnnotationAction, "Order")(cr)
			waitIssued(t, cr)
		}
		wantPaid(t, before, dcfake.Counts{Orders: 2, Duplicates: 1})
	})

	t.Run("forged state annotations: ignored, no CA call comes of them", func(t *testing.T) {
		ns := newNamespace(t)
		g := gatedDigiCertIssuer(t, ns)
		before := dc.Counts()
		cr := request(ns, "forged", "forged", "forged.example.com")
		for k, v := range map[string]string{
			"certorder.dev/submitted-at": time.Now().Format(time.RFC3339Nano), "certorder.dev/accepted-at": time.Now().Format(time.RFC3339Nano),
			"certorder.dev/submitted-action": "Duplicate", "certorder.dev/request-id": "424242",
			"ledger.certorder.dev/order-id": "424242", "ledger.certorder.dev/action": "Duplicate", "ledger.certorder.dev/request-id": "424242",
		} {
			tu.WithAnnotation(k, v)(cr)
		}
		got := waitIssued(t, cr)
		wantPaid(t, before, dcfake.Counts{Orders: 1})
		if g.called("424242") {
			t.Error("certorder called the CA about the forged order")
		}
		if servedBy(t, got) == "424242" {
			t.Error("the ledger records the forged order")
		}
	})
}

// TestLedgerIssuerSwitch: issuer A, then B, then A again: A's order is
// reused.
func TestLedgerIssuerSwitch(t *testing.T) {
	startManager(t)
	dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
	ns := newNamespace(t)
	readyDigiCertIssuer(t, ns)
	b := &v1alpha1.DigiCertIssuer{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "digicert-b"}, Spec: dcSpec()}
	create(t, b)
	waitIssuer(t, b, controllers.ReasonChecked)
	before := dc.Counts()
	first := servedBy(t, waitIssued(t, request(ns, "switch-1", "switch", "switch.example.com")))
	viaB := request(ns, "switch-2", "switch", "switch.example.com")
	viaB.Spec.IssuerRef.Name = b.Name
	waitIssued(t, viaB)
	third := servedBy(t, waitIssued(t, request(ns, "switch-3", "switch", "switch.example.com")))
	wantPaid(t, before, dcfake.Counts{Orders: 2, Duplicates: 1})
	if third != first {
		t.Errorf("back on A, order %s was used; want A's order %s", third, first)
	}
}

// TestLedgerOpenproviderRenewLost: the answer to a renew is lost and
// certorder restarts; the renewal is completed without a second renew.
func TestLedgerOpenproviderRenewLost(t *testing.T) {
	stop := startManager(t)
	op.SetBehavior(opfake.Behavior{})
	ns := newNamespace(t)
	g := newGate(t, opURL)
	iss := readyOpenproviderIssuer(t, ns, g.URL)
	opRequest := func(name string) *cmapi.CertificateRequest {
		return tu.CertificateRequest(ns, name, tu.WithIssuer(v1alpha1.OpenproviderClusterIssuerKind, iss.Name),
			tu.WithCSR(tu.CSRPEM(tu.WithCommonName("renew.example.com"))), tu.WithCertificate("renew"), tu.WithDuration(90*24*time.Hour))
	}
	before := op.Counts()
	first := waitIssued(t, opRequest("renew-1"))
	if err := op.SetOrderEndsAt(servedBy(t, first), time.Now().Add(20*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	g.setFor(holdAfterCA, 0, "/renew")
	second := opRequest("renew-2")
	createApproved(t, second)
	g.crash(t, stop)
	waitRequest(t, second, cmapi.CertificateRequestReasonIssued)
	got := op.Counts()
	if got.Orders-before.Orders != 1 || got.Renewals-before.Renewals != 1 {
		t.Errorf("counts %+v -> %+v, want one order and one renew", before, got)
	}
}

// boughtOutside buys an order through a throwaway Certificate and deletes
// its CertificateOrder, as if it had been bought outside the cluster.
func boughtOutside(t *testing.T, ns, name string) string {
	t.Helper()
	crt := "outside-" + strings.ReplaceAll(name, ".", "-")
	id := servedBy(t, waitIssued(t, request(ns, crt, crt, name)))
	if err := k8s.Delete(context.Background(), order(t, ns, crt)); err != nil {
		t.Fatal(err)
	}
	return id
}

// wantPaid checks the CA's counts grew by exactly delta.
func wantPaid(t *testing.T, before, delta dcfake.Counts) {
	t.Helper()
	got := dc.Counts()
	if d := (dcfake.Counts{Orders: got.Orders - before.Orders, Reissues: got.Reissues - before.Reissues, Duplicates: got.Duplicates - before.Duplicates}); d != delta {
		t.Errorf("the CA counted %+v, want %+v", d, delta)
	}
}

// wantFailed waits for the request to fail with a message containing msg.
func wantFailed(t *testing.T, cr *cmapi.CertificateRequest, msg string) {
	t.Helper()
	cur := waitRequest(t, cr, cmapi.CertificateRequestReasonFailed)
	if got := cur.Status.Conditions[len(cur.Status.Conditions)-1].Message; !strings.Contains(got, msg) {
		for _, c := range cur.Status.Conditions {
			if strings.Contains(c.Message, msg) {
				return
			}
		}
		t.Errorf("failed with %q, want a message containing %q", got, msg)
	}
}

func want(ok bool, format string, args ...any) error {
	if ok {
		return nil
	}
	return fmt.Errorf(format, args...)
}

// statusBlocker holds every write of one request's status until its caller
// gives up: a crash after the ledger write, before the request status.
type statusBlocker struct {
	name string
	mu   sync.Mutex
	n    int
}

func (b *statusBlocker) held() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.n
}

func (b *statusBlocker) wrap(rt http.RoundTripper) http.RoundTripper {
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPatch && strings.HasSuffix(r.URL.Path, "/certificaterequests/"+b.name+"/status") {
			b.mu.Lock()
			b.n++
			b.mu.Unlock()
			<-r.Context().Done()
			return nil, r.Context().Err()
		}
		return rt.RoundTrip(r)
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
