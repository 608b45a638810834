package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
	"github.com/certorder/certorder/internal/provider/fakeca"
	tu "github.com/certorder/certorder/internal/testutil"
)

func TestRequestGates(t *testing.T) {
	startManager(t)
	ns := newNamespace(t)
	readyDigiCertIssuer(t, ns)
	dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
	before := dc.Counts()

	t.Run("unapproved: no CA call", func(t *testing.T) {
		cr := request(ns, "unapproved", "unapproved", "unapproved.example.com")
		create(t, cr)
		time.Sleep(time.Second)
		cur := &cmapi.CertificateRequest{}
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(cr), cur); err != nil {
			t.Fatal(err)
		}
		if c := apiutil.GetCertificateRequestCondition(cur, cmapi.CertificateRequestConditionReady); c != nil {
			t.Errorf("an unapproved request got %+v", c)
		}
		if dc.Counts() != before {
			t.Errorf("the CA was called: %+v", dc.Counts())
		}
	})

	t.Run("denied: Denied, no CA call", func(t *testing.T) {
		cr := request(ns, "denied", "denied", "denied.example.com")
		create(t, cr)
		setCondition(t, cr, cmapi.CertificateRequestConditionDenied, "policy")
		cur := waitRequest(t, cr, cmapi.CertificateRequestReasonDenied)
		if cur.Status.FailureTime == nil {
			t.Error("no failureTime on a denied request")
		}
		if dc.Counts() != before {
			t.Errorf("the CA was called: %+v", dc.Counts())
		}
	})

	for _, tc := range []struct {
		name string
		opts []tu.RequestOption
		want string
	}{
		{"garbage CSR", []tu.RequestOption{tu.WithCSR([]byte("not a csr"))}, "no PEM block"},
		{"IP SAN", []tu.RequestOption{tu.WithCSR(tu.CSRPEM(tu.WithCommonName("a.example.com"), tu.WithIPs("192.0.2.1")))}, "IP address SANs"},
		{"isCA", []tu.RequestOption{tu.WithIsCA()}, "CA certificate"},
		{"unknown action annotation", []tu.RequestOption{tu.WithAnnotation("certorder.dev/action", "Buy")}, "must be Order, Reissue or Duplicate"},
	} {
		t.Run("invalid: "+tc.name, func(t *testing.T) {
			cr := request(ns, "invalid-"+strings.ReplaceAll(strings.ToLower(tc.name), " ", "-"), "invalid", "invalid.example.com")
			for _, o := range tc.opts {
				o(cr)
			}
			createApproved(t, cr)
			cur := waitRequest(t, cr, cmapi.CertificateRequestReasonFailed)
			ready := apiutil.GetCertificateRequestCondition(cur, cmapi.CertificateRequestConditionReady)
			if !strings.Contains(ready.Message, tc.want) || cur.Status.FailureTime == nil {
				t.Errorf("Ready %+v, failureTime %v: want a message containing %q and a failure time", ready, cur.Status.FailureTime, tc.want)
			}
			if dc.Counts() != before {
				t.Errorf("the CA was called: %+v", dc.Counts())
			}
		})
	}

	t.Run("issuer missing: Pending, naming it", func(t *testing.T) {
		cr := request(ns, "no-issuer", "no-issuer", "no-issuer.example.com")
		cr.Spec.IssuerRef.Name = "nope"
		createApproved(t, cr)
		cur := waitRequest(t, cr, cmapi.CertificateRequestReasonPending)
		if msg := apiutil.GetCertificateRequestCondition(cur, cmapi.CertificateRequestConditionReady).Message; !strings.Contains(msg, "DigiCertIssuer "+ns+"/nope") {
			t.Errorf("message %q does not name the issuer", msg)
		}
	})

	t.Run("not ours: untouched", func(t *testing.T) {
		cr := request(ns, "not-ours", "not-ours", "not-ours.example.com")
		cr.Spec.IssuerRef = cmmeta.IssuerReference{Group: "cert-manager.io", Kind: "Issuer", Name: "digicert"}
		createApproved(t, cr)
		time.Sleep(500 * time.Millisecond)
		cur := &cmapi.CertificateRequest{}
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(cr), cur); err != nil {
			t.Fatal(err)
		}
		if c := apiutil.GetCertificateRequestCondition(cur, cmapi.CertificateRequestConditionReady); c != nil {
			t.Errorf("another issuer's request got %+v", c)
		}
	})
}

func TestIssuance(t *testing.T) {
	startManager(t)
	ns := newNamespace(t)
	readyDigiCertIssuer(t, ns)
	roots := dc.CA().Pool()

	t.Run("immediate: chain, CA and exactly one order", func(t *testing.T) {
		dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
		before := dc.Counts()
		cr := request(ns, "immediate", "immediate", "www.example.com", "api.example.com")
		createApproved(t, cr)
		cur := waitRequest(t, cr, cmapi.CertificateRequestReasonIssued)
		leaf := leafOf(t, cur, roots)
		if !strings.Contains(string(cur.Status.CA), "BEGIN CERTIFICATE") {
			t.Error("status.ca does not hold the root")
		}
		if leaf.Subject.CommonName != "www.example.com" || len(leaf.DNSNames) != 2 {
			t.Errorf("leaf names %q %v", leaf.Subject.CommonName, leaf.DNSNames)
		}
		if got := dc.Counts(); got.Orders != before.Orders+1 {
			t.Errorf("orders %d -> %d, want exactly one more", before.Orders, got.Orders)
		}
		rec := order(t, ns, "immediate")
		if rec.Status.OrderID != servedBy(t, cur) || rec.Status.State != v1alpha1.OrderActive || len(rec.Status.CertificateIDs) != 1 {
			t.Errorf("CertificateOrder status %+v does not record the order of %s", rec.Status, cur.Name)
		}
	})

	t.Run("pending for polls, with the CA's words, then issued", func(t *testing.T) {
		dc.SetBehavior(dcfake.Behavior{Shape: dcfake.NeedsApproval, PendingPolls: 3})
		cr := request(ns, "pending", "pending", "pending.example.com")
		createApproved(t, cr)
		cur := waitRequest(t, cr, cmapi.CertificateRequestReasonPending)
		msg := apiutil.GetCertificateRequestCondition(cur, cmapi.CertificateRequestConditionReady).Message
		if !strings.Contains(msg, "Waiting for DigiCert") {
			t.Errorf("pending message %q does not say what it waits for", msg)
		}
		cur = waitRequest(t, cr, cmapi.CertificateRequestReasonIssued)
		leafOf(t, cur, roots)
	})

	t.Run("a duration past the CA/Browser Forum limit is capped, and the message says so", func(t *testing.T) {
		dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
		cr := request(ns, "year", "year", "year.example.com")
		tu.WithDuration(365 * 24 * time.Hour)(cr)
		cur := waitIssued(t, cr)
		limit := provider.MaxPublicValidity(time.Now())
		if msg := apiutil.GetCertificateRequestCondition(cur, cmapi.CertificateRequestConditionReady).Message; !strings.Contains(msg, fmt.Sprintf("capped at %d days", int(limit.Hours()/24))) {
			t.Errorf("message %q does not report the cap", msg)
		}
		if got := leafOf(t, cur, roots).NotAfter; got.After(time.Now().Add(limit + time.Hour)) {
			t.Errorf("leaf valid until %s, past the %s limit", got, limit)
		}
	})

	t.Run("rejected by the CA: Failed with its reason", func(t *testing.T) {
		dc.SetBehavior(dcfake.Behavior{Shape: dcfake.NeedsApproval, Reject: "domain not owned by the customer"})
		cr := request(ns, "rejected", "rejected", "rejected.example.com")
		createApproved(t, cr)
		cur := waitRequest(t, cr, cmapi.CertificateRequestReasonFailed)
		if msg := apiutil.GetCertificateRequestCondition(cur, cmapi.CertificateRequestConditionReady).Message; !strings.Contains(msg, "domain not owned by the customer") {
			t.Errorf("message %q lacks the CA's reason", msg)
		}
	})

	t.Run("transient storm: Pending, never Failed, then issued once", func(t *testing.T) {
		dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
		dc.Faults().Add(fakeca.Fault{Kind: fakeca.ServerError, Method: "POST", Times: 2, Body: `{"errors":[{"code":"internal","message":"try later"}]}`})
		dc.Faults().Add(fakeca.Fault{Kind: fakeca.RateLimited, Method: "POST", Times: 1, RetryAfter: time.Second, Body: `{"errors":[{"code":"request_limit_exceeded","message":"Service unavailable, please limit request volume"}]}`})
		before := dc.Counts()
		cr := request(ns, "storm", "storm", "storm.example.com")
		createApproved(t, cr)
		deadline := time.Now().Add(30 * time.Second)
		for {
			cur := &cmapi.CertificateRequest{}
			if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(cr), cur); err != nil {
				t.Fatal(err)
			}
			c := apiutil.GetCertificateRequestCondition(cur, cmapi.CertificateRequestConditionReady)
			if c != nil && c.Reason == cmapi.CertificateRequestReasonFailed {
				t.Fatalf("a transient fault failed the request: %s", c.Message)
			}
			if c != nil && c.Reason == cmapi.CertificateRequestReasonIssued {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("not issued: %+v", c)
			}
			time.Sleep(50 * time.Millisecond)
		}
		if got := dc.Counts(); got.Orders != before.Orders+1 {
			t.Errorf("orders %d -> %d, want exactly one more", before.Orders, got.Orders)
		}
	})
}
