package controllers

import (
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"

	"github.com/certorder/certorder/internal/provider"
)

// Annotations a user may set on a Certificate; cert-manager copies them to
// its CertificateRequests.
const (
	// AnnotationAction forces Order, Reissue or Duplicate.
	AnnotationAction = "certorder.dev/action"
	// AnnotationOrderID adopts an order bought outside Kubernetes. certorder
	// also writes it as part of the handle of a submission.
	AnnotationOrderID = "certorder.dev/order-id"
)

// Annotations certorder writes on a CertificateRequest for exactly-once
// submission: the intent before the CA call, the handle after it.
const (
	AnnotationSubmittedAt      = "certorder.dev/submitted-at"
	AnnotationSubmittedAction  = "certorder.dev/submitted-action"
	AnnotationSubmittedOrderID = "certorder.dev/submitted-order-id"
	AnnotationRequestID        = "certorder.dev/request-id"
	AnnotationCertificateID    = "certorder.dev/certificate-id"
	AnnotationAcceptedAt       = "certorder.dev/accepted-at"
)

// intent is what a request recorded before calling the CA.
type intent struct {
	At      time.Time
	Action  provider.Action
	OrderID string
}

// intentOf reads the intent annotations; ok is false when there are none.
func intentOf(cr *cmapi.CertificateRequest) (in intent, ok bool) {
	a := cr.Annotations
	at, err := time.Parse(time.RFC3339Nano, a[AnnotationSubmittedAt])
	if err != nil {
		return intent{}, false
	}
	return intent{At: at, Action: provider.Action(a[AnnotationSubmittedAction]), OrderID: a[AnnotationSubmittedOrderID]}, true
}

func (in intent) annotations() map[string]string {
	return map[string]string{
		AnnotationSubmittedAt:      in.At.UTC().Format(time.RFC3339Nano),
		AnnotationSubmittedAction:  string(in.Action),
		AnnotationSubmittedOrderID: in.OrderID,
	}
}

// accepted reports whether the CA's handle was recorded.
func accepted(cr *cmapi.CertificateRequest) bool {
	return cr.Annotations[AnnotationAcceptedAt] != ""
}

// handleOf reads the recorded handle.
func handleOf(cr *cmapi.CertificateRequest) provider.Handle {
	return provider.Handle{
		OrderID:       cr.Annotations[AnnotationOrderID],
		RequestID:     cr.Annotations[AnnotationRequestID],
		CertificateID: cr.Annotations[AnnotationCertificateID],
	}
}

func handleAnnotations(h provider.Handle, at time.Time) map[string]string {
	a := map[string]string{AnnotationAcceptedAt: at.UTC().Format(time.RFC3339Nano)}
	for k, v := range map[string]string{AnnotationOrderID: h.OrderID, AnnotationRequestID: h.RequestID, AnnotationCertificateID: h.CertificateID} {
		if v != "" {
			a[k] = v
		}
	}
	return a
}
