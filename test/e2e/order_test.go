package e2e

import (
	"regexp"
	"slices"
	"testing"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
)

// issuedOrder is the order named in a request's Ready message, as a user
// sees it: "Certificate issued by DigiCert (reissue of order 123)".
var issuedOrder = regexp.MustCompile(`\border ([^ )]+)\)`)

// sameOrder checks that every CertificateRequest of the Certificate was
// served under one order, which its CertificateOrder records, and returns
// the record.
func sameOrder(t *testing.T, crt *cmapi.Certificate) *v1alpha1.CertificateOrder {
	t.Helper()
	var ids []string
	for rev := 1; rev <= *crt.Status.Revision; rev++ {
		cr := request(t, stack.Client, crt, rev, "exists", func(*cmapi.CertificateRequest) error { return nil })
		id := ""
		if c := apiutil.GetCertificateRequestCondition(cr, cmapi.CertificateRequestConditionReady); c != nil {
			if m := issuedOrder.FindStringSubmatch(c.Message); m != nil {
				id = m[1]
			}
		}
		ids = append(ids, id)
	}
	if slices.Contains(ids, "") || len(slices.Compact(ids)) != 1 {
		t.Fatalf("the requests' orders are %v, want one order", ids)
	}
	rec := &v1alpha1.CertificateOrder{}
	if err := stack.Client.Get(t.Context(), ledgerKey(crt), rec); err != nil {
		t.Fatal(err)
	}
	if rec.Status.OrderID != ids[0] || len(rec.Status.PreviousOrderIDs) != 0 {
		t.Errorf("CertificateOrder status %+v, want order %s and no previous one", rec.Status, ids[0])
	}
	return rec
}

// ledgerKey names the Certificate's CertificateOrder for its issuer.
func ledgerKey(crt *cmapi.Certificate) client.ObjectKey {
	return client.ObjectKey{Namespace: crt.Namespace, Name: controllers.LedgerName(crt.Name, v1alpha1.IssuerReference{Kind: crt.Spec.IssuerRef.Kind, Name: crt.Spec.IssuerRef.Name})}
}

// sameDigiCertOrder is sameOrder, and the record lists one DigiCert
// certificate per revision.
func sameDigiCertOrder(t *testing.T, crt *cmapi.Certificate) {
	t.Helper()
	if rec := sameOrder(t, crt); len(rec.Status.CertificateIDs) != *crt.Status.Revision {
		t.Errorf("CertificateOrder lists certificates %v, want %d", rec.Status.CertificateIDs, *crt.Status.Revision)
	}
}
