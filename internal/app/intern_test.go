package app_test

import (
	"strings"
	"testing"
	"unsafe"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/app"
)

// TestTrimSharesRepeatedStrings: two objects decoded apart hold their
// repeated strings (namespace, issuer, kind, condition reason) in one copy
// once cached.
func TestTrimSharesRepeatedStrings(t *testing.T) {
	// decoded is an object whose strings are each allocated anew, as the
	// API's decoder allocates them.
	decodedRequest := func() *cmapi.CertificateRequest {
		cr := request(strings.Clone("certorder.dev"), ready(cmmeta.ConditionTrue, strings.Clone(cmapi.CertificateRequestReasonIssued)))
		cr.Namespace, cr.Kind, cr.Spec.IssuerRef.Name = strings.Clone(cr.Namespace), strings.Clone(cr.Kind), strings.Clone(cr.Spec.IssuerRef.Name)
		return cr
	}
	decodedLedger := func() *v1alpha1.CertificateOrder {
		co := ledger(v1alpha1.SubmissionIssued)
		co.Namespace, co.Spec.IssuerRef.Name, co.Spec.Provider = strings.Clone(co.Namespace), strings.Clone(co.Spec.IssuerRef.Name), v1alpha1.Provider(strings.Clone(string(co.Spec.Provider)))
		return co
	}
	trim := func(f func(any) (any, error), in any) any {
		out, err := f(in)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, b := trim(app.TrimRequest, decodedRequest()).(*cmapi.CertificateRequest), trim(app.TrimRequest, decodedRequest()).(*cmapi.CertificateRequest)
	la, lb := trim(app.TrimLedger, decodedLedger()).(*v1alpha1.CertificateOrder), trim(app.TrimLedger, decodedLedger()).(*v1alpha1.CertificateOrder)
	for _, tc := range []struct{ what, x, y string }{
		{"request namespace", a.Namespace, b.Namespace},
		{"request kind", a.Kind, b.Kind},
		{"request issuer name", a.Spec.IssuerRef.Name, b.Spec.IssuerRef.Name},
		{"request issuer group", a.Spec.IssuerRef.Group, b.Spec.IssuerRef.Group},
		{"request Ready reason", a.Status.Conditions[1].Reason, b.Status.Conditions[1].Reason},
		{"ledger namespace", la.Namespace, lb.Namespace},
		{"ledger issuer name", la.Spec.IssuerRef.Name, lb.Spec.IssuerRef.Name},
		{"ledger provider", string(la.Spec.Provider), string(lb.Spec.Provider)},
	} {
		if tc.x != tc.y || unsafe.StringData(tc.x) != unsafe.StringData(tc.y) {
			t.Errorf("%s: %q and %q are two copies, want one", tc.what, tc.x, tc.y)
		}
	}
}
