package controllers_test

import (
	"strconv"
	"testing"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
	opfake "github.com/certorder/certorder/internal/provider/openprovider/fake"
	tu "github.com/certorder/certorder/internal/testutil"
)

func TestDigiCertRenewal(t *testing.T) {
	startManager(t)
	dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
	roots := dc.CA().Pool()

	for _, tc := range []struct {
		name       string
		policy     v1alpha1.RenewalPolicy
		renewNames []string
		want       dcfake.Counts
	}{
		{"same names, Duplicate policy: a duplicate", v1alpha1.RenewalDuplicate, []string{"web.example.com", "www.example.com"}, dcfake.Counts{Orders: 1, Duplicates: 1}},
		{"same names, Reissue policy: a reissue", v1alpha1.RenewalReissue, []string{"web.example.com", "www.example.com"}, dcfake.Counts{Orders: 1, Reissues: 1}},
		{"same names, Order policy: a renewal order", v1alpha1.RenewalOrder, []string{"web.example.com", "www.example.com"}, dcfake.Counts{Orders: 2}},
		{"names changed: a reissue", v1alpha1.RenewalDuplicate, []string{"web.example.com", "new.example.com"}, dcfake.Counts{Orders: 1, Reissues: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ns := newNamespace(t)
			readyDigiCertIssuer(t, ns, func(s *v1alpha1.DigiCertIssuerSpec) { s.Renewal = tc.policy })
			before := dc.Counts()
			first := waitIssued(t, request(ns, "web-1", "web", "web.example.com", "www.example.com"))
			firstOrder := servedBy(t, first)
			second := waitIssued(t, request(ns, "web-2", "web", tc.renewNames...))
			leaf := leafOf(t, second, roots)
			if len(leaf.DNSNames) != len(tc.renewNames) {
				t.Errorf("renewed leaf names %v, want %v", leaf.DNSNames, tc.renewNames)
			}
			got := dc.Counts()
			delta := dcfake.Counts{Orders: got.Orders - before.Orders, Reissues: got.Reissues - before.Reissues, Duplicates: got.Duplicates - before.Duplicates}
			if delta != tc.want {
				t.Errorf("CA counted %+v, want %+v", delta, tc.want)
			}
			rec := order(t, ns, "web")
			if tc.want.Orders == 1 && (rec.Status.OrderID != firstOrder || len(rec.Status.CertificateIDs) != 2) {
				t.Errorf("record %+v: want both certificates under order %s", rec.Status, firstOrder)
			}
			if tc.want.Orders == 2 && (rec.Status.OrderID == firstOrder || len(rec.Status.PreviousOrderIDs) != 1 || rec.Status.PreviousOrderIDs[0] != firstOrder) {
				t.Errorf("record %+v: want a new order that remembers %s", rec.Status, firstOrder)
			}
		})
	}

	t.Run("expired order: a new order naming it as renewed", func(t *testing.T) {
		ns := newNamespace(t)
		readyDigiCertIssuer(t, ns)
		first := waitIssued(t, request(ns, "exp-1", "exp", "exp.example.com"))
		firstID, _ := strconv.ParseInt(servedBy(t, first), 10, 64)
		if err := dc.ExpireOrder(firstID); err != nil {
			t.Fatal(err)
		}
		second := waitIssued(t, request(ns, "exp-2", "exp", "exp.example.com"))
		secondID, _ := strconv.ParseInt(servedBy(t, second), 10, 64)
		o, ok := dc.Order(secondID)
		if secondID == firstID || !ok || o.Request.RenewalOfOrderID != firstID {
			t.Errorf("second order %d renews %d, want a new order renewing %d", secondID, o.Request.RenewalOfOrderID, firstID)
		}
	})

	t.Run("certorder.dev/order-id adopts an order bought elsewhere, when the issuer allows it", func(t *testing.T) {
		ns := newNamespace(t)
		readyDigiCertIssuer(t, ns, func(s *v1alpha1.DigiCertIssuerSpec) { s.Adoption.Enabled = true })
		bought := boughtOutside(t, ns, "adopt.example.com")
		before := dc.Counts()
		cr := request(ns, "adopter", "adopter", "adopt.example.com")
		tu.WithAnnotation(controllers.AnnotationOrderID, bought)(cr)
		waitIssued(t, cr)
		got := dc.Counts()
		if got.Orders != before.Orders || got.Duplicates != before.Duplicates+1 {
			t.Errorf("adoption: counts %+v -> %+v, want one duplicate and no order", before, got)
		}
		if rec := order(t, ns, "adopter"); rec.Status.OrderID != bought || !rec.Status.Adopted {
			t.Errorf("the adopter's record holds order %q (adopted %v)", rec.Status.OrderID, rec.Status.Adopted)
		}
	})
}

func TestOpenproviderRenewal(t *testing.T) {
	startManager(t)
	op.SetBehavior(opfake.Behavior{})
	roots := op.CA().Pool()
	ns := newNamespace(t)
	iss := readyOpenproviderIssuer(t, ns, opURL)
	opRequest := func(name string) *cmapi.CertificateRequest {
		return tu.CertificateRequest(ns, name, tu.WithIssuer(v1alpha1.OpenproviderClusterIssuerKind, iss.Name),
			tu.WithCSR(tu.CSRPEM(tu.WithCommonName("shop.example.com"))), tu.WithCertificate("shop"), tu.WithDuration(90*24*time.Hour))
	}
	before := op.Counts()
	first := waitIssued(t, opRequest("shop-1"))
	firstOrder := servedBy(t, first)
	second := waitIssued(t, opRequest("shop-2"))
	leafOf(t, first, roots)
	leafOf(t, second, roots)
	got := op.Counts()
	if got.Orders != before.Orders+1 || got.Reissues != before.Reissues+1 {
		t.Errorf("counts %+v -> %+v, want one order and one reissue", before, got)
	}
	if servedBy(t, second) != firstOrder {
		t.Error("the renewal did not reissue the same order")
	}
}
