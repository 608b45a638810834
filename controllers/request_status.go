package controllers

import (
	"bytes"
	"context"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/certorder/certorder/internal/provider"
)

// outcome is the state of a CertificateRequest as certorder reports it.
type outcome struct {
	// Reason of the Ready condition: Pending, Failed, Denied or Issued.
	Reason  string
	Message string
	// Invalid marks a request that can never be satisfied (InvalidRequest).
	Invalid bool
	// Chain is set with reason Issued.
	Chain *provider.Chain
}

// report applies the outcome to the request's status, if it changed, and
// records an Event when it did: never one per poll.
func (r *RequestReconciler) report(ctx context.Context, cr *cmapi.CertificateRequest, o outcome) error {
	st := r.statusFor(cr, o)
	old := apiutil.GetCertificateRequestCondition(cr, cmapi.CertificateRequestConditionReady)
	if old != nil && old.Reason == o.Reason && old.Message == o.Message && bytes.Equal(cr.Status.Certificate, st.Certificate) &&
		isInvalid(cr) == o.Invalid {
		return nil
	}
	if err := applyStatus(ctx, r.Client, cr, &st); err != nil {
		return err
	}
	log.FromContext(ctx).Info("request status changed", "reason", o.Reason, "message", o.Message)
	kind := "Normal"
	if o.Reason == cmapi.CertificateRequestReasonFailed || o.Reason == cmapi.CertificateRequestReasonDenied {
		kind = "Warning"
	}
	r.Recorder.Eventf(cr, nil, kind, o.Reason, "Reconcile", o.Message)
	return nil
}

// statusFor is the status certorder owns for an outcome. Fields it omits
// are released, so it is always complete.
func (r *RequestReconciler) statusFor(cr *cmapi.CertificateRequest, o outcome) cmapi.CertificateRequestStatus {
	now := metav1.NewTime(r.Clock.Now())
	ready := cmapi.CertificateRequestCondition{
		Type: cmapi.CertificateRequestConditionReady, Status: cmmeta.ConditionFalse,
		Reason: o.Reason, Message: o.Message, LastTransitionTime: &now,
	}
	if o.Reason == cmapi.CertificateRequestReasonIssued {
		ready.Status = cmmeta.ConditionTrue
	}
	if old := apiutil.GetCertificateRequestCondition(cr, cmapi.CertificateRequestConditionReady); old != nil && old.Status == ready.Status && old.LastTransitionTime != nil {
		ready.LastTransitionTime = old.LastTransitionTime
	}
	st := cmapi.CertificateRequestStatus{Conditions: []cmapi.CertificateRequestCondition{ready}}
	if o.Invalid {
		st.Conditions = append(st.Conditions, cmapi.CertificateRequestCondition{
			Type: cmapi.CertificateRequestConditionInvalidRequest, Status: cmmeta.ConditionTrue,
			Reason: o.Reason, Message: o.Message, LastTransitionTime: &now,
		})
	}
	switch o.Reason {
	case cmapi.CertificateRequestReasonFailed, cmapi.CertificateRequestReasonDenied:
		st.FailureTime = &now
		if cr.Status.FailureTime != nil {
			st.FailureTime = cr.Status.FailureTime
		}
	case cmapi.CertificateRequestReasonIssued:
		st.Certificate = o.Chain.CertificatePEM()
		st.CA = o.Chain.CAPEM()
	}
	return st
}

// terminal tells whether certorder is done with a request.
func terminal(cr *cmapi.CertificateRequest) bool {
	ready := apiutil.GetCertificateRequestCondition(cr, cmapi.CertificateRequestConditionReady)
	if ready == nil {
		return false
	}
	return ready.Status == cmmeta.ConditionTrue ||
		ready.Reason == cmapi.CertificateRequestReasonFailed || ready.Reason == cmapi.CertificateRequestReasonDenied
}

func isInvalid(cr *cmapi.CertificateRequest) bool {
	c := apiutil.GetCertificateRequestCondition(cr, cmapi.CertificateRequestConditionInvalidRequest)
	return c != nil && c.Status == cmmeta.ConditionTrue
}
