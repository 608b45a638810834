package controllers

import (
	"bytes"
	"context"
	"regexp"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/certorder/certorder/internal/provider"
)

// This file is the one writer of a request's status and its Events.

// Event reasons for the causes of a Pending request. The Ready condition's
// reason stays cert-manager's Pending; the Event says why.
const (
	CauseIssuerNotReady     = "IssuerNotReady"
	CauseOrderPending       = "OrderPending"
	CauseValidationPending  = "ValidationPending"
	CauseCAUnavailable      = "CAUnavailable"
	CauseRateLimited        = "RateLimited"
	CauseAuthFailed         = "AuthFailed"
	CauseBudgetReached      = "BudgetReached"
	CauseSubmissionInFlight = "SubmissionInFlight"
)

// Event reasons of steps that are not status changes.
const (
	EventSubmitted = "Submitted"
	EventRecovered = "Recovered"
)

// outcome is the state of a CertificateRequest as certorder reports it.
type outcome struct {
	// Reason of the Ready condition: Pending, Failed, Denied or Issued.
	Reason string
	// Cause is the Event reason of a Pending outcome; empty uses Reason.
	Cause   string
	Message string
	// Invalid marks a request that can never be satisfied (InvalidRequest).
	Invalid bool
	// Chain is set with reason Issued.
	Chain *provider.Chain
}

// retryNote matches the part of a message that changes on every retry.
var retryNote = regexp.MustCompile(`(?i)retrying in [0-9.]+[a-zµ]*[0-9.a-zµ]*`)

// sameWords tells whether two messages differ at most by their retry delay.
func sameWords(a, b string) bool {
	return retryNote.ReplaceAllString(a, "retrying") == retryNote.ReplaceAllString(b, "retrying")
}

// report applies the outcome to the request's status when it changed, and
// records an Event only when it changed by more than its retry delay: never
// one per poll or retry. The message is never used as a format string.
func (r *RequestReconciler) report(ctx context.Context, cr *cmapi.CertificateRequest, o outcome) error {
	st := r.statusFor(cr, o)
	old := apiutil.GetCertificateRequestCondition(cr, cmapi.CertificateRequestConditionReady)
	sameState := old != nil && old.Reason == o.Reason && bytes.Equal(cr.Status.Certificate, st.Certificate) && isInvalid(cr) == o.Invalid
	if sameState && old.Message == o.Message {
		return nil
	}
	if err := applyStatus(ctx, r.Client, cr, &st); err != nil {
		return err
	}
	cr.Status = st
	if sameState && sameWords(old.Message, o.Message) {
		return nil
	}
	log.FromContext(ctx).Info("request status changed", "reason", o.Reason, "cause", o.Cause, "message", o.Message)
	kind := "Normal"
	if o.Reason == cmapi.CertificateRequestReasonFailed || o.Reason == cmapi.CertificateRequestReasonDenied {
		kind = "Warning"
	}
	reason := o.Reason
	if o.Cause != "" {
		reason = o.Cause
	}
	r.event(cr, kind, reason, o.Message)
	return nil
}

// event records an Event on the request.
func (r *RequestReconciler) event(cr *cmapi.CertificateRequest, kind, reason, msg string) {
	r.Recorder.Eventf(cr, nil, kind, reason, "Reconcile", "%s", msg)
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

// Terminal tells whether certorder is done with a request: Ready, Failed or
// Denied. The manager's cache trims terminal requests (internal/app).
func Terminal(cr *cmapi.CertificateRequest) bool {
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
