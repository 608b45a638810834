package controllers

import (
	"slices"
	"testing"

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
