package controllers

import (
	"slices"
	"testing"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/certorder/certorder/api/v1alpha1"
)

// TestNewOrdersOf: the new-order budget reads a ledger only when it
// recorded a new order, under the issuer that placed it.
func TestNewOrdersOf(t *testing.T) {
	ref := v1alpha1.IssuerReference{Group: "certorder.dev", Kind: v1alpha1.DigiCertClusterIssuerKind, Name: "paid"}
	for _, tc := range []struct {
		name   string
		placed []metav1.Time
		want   []string
	}{
		{"no new order recorded: not read", nil, nil},
		{"a new order recorded: read for its issuer", []metav1.Time{metav1.Now()}, []string{"DigiCertClusterIssuer/paid"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			co := &v1alpha1.CertificateOrder{
				Spec:   v1alpha1.CertificateOrderSpec{IssuerRef: ref},
				Status: v1alpha1.CertificateOrderStatus{NewOrdersPlaced: tc.placed},
			}
			if got := newOrdersOf(co); !slices.Equal(got, tc.want) {
				t.Errorf("indexed as %q, want %q", got, tc.want)
			}
		})
	}
}

// TestIssuerOf: an issuer's change requeues the unfinished requests that
// name it, found by the index; finished ones and other issuers' are not
// indexed.
func TestIssuerOf(t *testing.T) {
	r := &RequestReconciler{Kinds: Kinds{
		v1alpha1.DigiCertIssuerKind: {Name: v1alpha1.DigiCertIssuerKind, New: func() Issuer { return &v1alpha1.DigiCertIssuer{} }},
	}}
	ready := func(status cmmeta.ConditionStatus, reason string) []cmapi.CertificateRequestCondition {
		return []cmapi.CertificateRequestCondition{{Type: cmapi.CertificateRequestConditionReady, Status: status, Reason: reason}}
	}
	for _, tc := range []struct {
		name       string
		group      string
		conditions []cmapi.CertificateRequestCondition
		want       []string
	}{
		{"new", "certorder.dev", nil, []string{"DigiCertIssuer/ns/dc"}},
		{"pending", "certorder.dev", ready(cmmeta.ConditionFalse, cmapi.CertificateRequestReasonPending), []string{"DigiCertIssuer/ns/dc"}},
		{"issued", "certorder.dev", ready(cmmeta.ConditionTrue, cmapi.CertificateRequestReasonIssued), nil},
		{"failed", "certorder.dev", ready(cmmeta.ConditionFalse, cmapi.CertificateRequestReasonFailed), nil},
		{"another issuer's", "cert-manager.io", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cr := &cmapi.CertificateRequest{
				ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "r"},
				Spec:       cmapi.CertificateRequestSpec{IssuerRef: cmmeta.IssuerReference{Group: tc.group, Kind: v1alpha1.DigiCertIssuerKind, Name: "dc"}},
				Status:     cmapi.CertificateRequestStatus{Conditions: tc.conditions},
			}
			if got := r.issuerOf(cr); !slices.Equal(got, tc.want) {
				t.Errorf("indexed as %q, want %q", got, tc.want)
			}
		})
	}
}
