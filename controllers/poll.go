package controllers

import (
	"context"
	"fmt"
	"slices"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/metrics"
	"github.com/certorder/certorder/internal/provider"
)

// poll asks the CA about the recorded submission.
func (w *work) poll(ctx context.Context) (ctrl.Result, error) {
	in, _ := intentOf(w.cr)
	action := in.Action
	if action == "" {
		action = provider.ActionOrder
	}
	h := handleOf(w.cr)
	st, err := w.p.Poll(ctx, provider.PollRequest{Action: action, Handle: h, CSR: w.cr.Spec.Request})
	if err != nil {
		return w.caFailed(ctx, "checking the "+describe(action, h.OrderID), err, w.acceptedAt())
	}
	if err := w.saveRecord(ctx, func(s *orderStatus) { s.polled(st) }); err != nil {
		return ctrl.Result{}, err
	}
	return w.handle(ctx, action, st)
}

// acceptedAt is when the CA accepted the submission.
func (w *work) acceptedAt() time.Time {
	t, err := time.Parse(time.RFC3339Nano, w.cr.Annotations[AnnotationAcceptedAt])
	if err != nil {
		return w.now
	}
	return t
}

// handle acts on what the CA said about the submission.
func (w *work) handle(ctx context.Context, action provider.Action, st provider.Status) (ctrl.Result, error) {
	what := describe(action, st.Handle.OrderID)
	switch st.State {
	case provider.StateIssued:
		return w.issued(ctx, action, st)
	case provider.StateFailed:
		if action == provider.ActionOrder {
			if err := w.saveRecord(ctx, func(s *orderStatus) { s.State = v1alpha1.OrderFailed }); err != nil {
				return ctrl.Result{}, err
			}
		}
		// Terminal: cert-manager backs off and creates a new request.
		return ctrl.Result{}, w.fail(ctx, fmt.Sprintf("%s did not issue the %s: %s", w.caName(), what, st.Message))
	}
	msg := fmt.Sprintf("Waiting for %s to issue the %s", w.caName(), what)
	if st.Message != "" {
		msg += ": " + st.Message
	}
	msg = w.withValidityNote(msg)
	// Requeue: poll again with backoff from the issuer's poll interval.
	return w.r.pending(ctx, w.cr, msg, pollDelay(w.issuer.Settings().PollInterval, w.now.Sub(w.acceptedAt())))
}

// issued checks the certificate against the request and completes it.
func (w *work) issued(ctx context.Context, action provider.Action, st provider.Status) (ctrl.Result, error) {
	if st.Chain == nil {
		return w.caFailed(ctx, "downloading the certificate", &provider.TransientError{Err: fmt.Errorf("%s reported the certificate issued but returned none", w.caName())}, w.acceptedAt())
	}
	if err := st.Chain.MatchesCSR(w.csr.CSR); err != nil {
		// Terminal: never hand out a certificate for another key.
		return ctrl.Result{}, w.fail(ctx, fmt.Sprintf("%s returned a certificate that does not match the request: %v", w.caName(), err))
	}
	for _, n := range w.csr.DNSNames {
		if !slices.Contains(st.Chain.Leaf.DNSNames, n) {
			return ctrl.Result{}, w.fail(ctx, fmt.Sprintf("%s returned a certificate without the requested name %q", w.caName(), n))
		}
	}
	if err := w.saveRecord(ctx, func(s *orderStatus) { s.issued(action, st, w) }); err != nil {
		return ctrl.Result{}, err
	}
	metrics.ObserveIssued(metricsProvider(w.issuer.Settings().Provider), w.now.Sub(w.cr.CreationTimestamp.Time))
	msg := w.withValidityNote(fmt.Sprintf("Certificate issued by %s (%s)", w.caName(), describe(action, st.Handle.OrderID)))
	// Terminal: done.
	return ctrl.Result{}, w.r.report(ctx, w.cr, outcome{Reason: cmapi.CertificateRequestReasonIssued, Message: msg, Chain: st.Chain})
}

// withValidityNote adds to msg that the requested duration was capped, so a
// cap is never silent.
func (w *work) withValidityNote(msg string) string {
	if _, note := capValidity(w.requestedDuration(), w.acceptedAt()); note != "" {
		return msg + "; " + note
	}
	return msg
}
