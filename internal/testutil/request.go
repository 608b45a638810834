package testutil

import (
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// RequestOption shapes a CertificateRequest.
type RequestOption func(*cmapi.CertificateRequest)

// CertificateRequest builds a request in namespace ns.
func CertificateRequest(ns, name string, opts ...RequestOption) *cmapi.CertificateRequest {
	cr := &cmapi.CertificateRequest{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
	for _, o := range opts {
		o(cr)
	}
	return cr
}

// WithIssuer points the request at a certorder issuer.
func WithIssuer(kind, name string) RequestOption {
	return func(cr *cmapi.CertificateRequest) {
		cr.Spec.IssuerRef = cmmeta.IssuerReference{Group: "certorder.dev", Kind: kind, Name: name}
	}
}

// WithCSR sets spec.request.
func WithCSR(csr []byte) RequestOption {
	return func(cr *cmapi.CertificateRequest) { cr.Spec.Request = csr }
}

// WithDuration sets spec.duration.
func WithDuration(d time.Duration) RequestOption {
	return func(cr *cmapi.CertificateRequest) { cr.Spec.Duration = &metav1.Duration{Duration: d} }
}

// WithAnnotation sets one annotation.
func WithAnnotation(k, v string) RequestOption {
	return func(cr *cmapi.CertificateRequest) {
		if cr.Annotations == nil {
			cr.Annotations = map[string]string{}
		}
		cr.Annotations[k] = v
	}
}

// WithCertificate marks the request as made for a cert-manager Certificate.
func WithCertificate(name string) RequestOption {
	return WithAnnotation(cmapi.CertificateNameKey, name)
}

// WithIsCA sets spec.isCA.
func WithIsCA() RequestOption {
	return func(cr *cmapi.CertificateRequest) { cr.Spec.IsCA = true }
}

// Condition returns a status condition, for Approved or Denied.
func Condition(t cmapi.CertificateRequestConditionType, reason string) cmapi.CertificateRequestCondition {
	now := metav1.Now()
	return cmapi.CertificateRequestCondition{Type: t, Status: cmmeta.ConditionTrue, Reason: reason, Message: "test", LastTransitionTime: &now}
}
