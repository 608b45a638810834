package controllers

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/csr"
	"github.com/certorder/certorder/internal/metrics"
	"github.com/certorder/certorder/internal/provider"
)

// work is one reconcile of one approved, valid request whose issuer is
// Ready: the loaded state, and the CA calls decide's steps need.
type work struct {
	r      *RequestReconciler
	cr     *cmapi.CertificateRequest
	kind   Kind
	issuer Issuer
	p      provider.Provider
	csr    *csr.Info
	ledger *ledger
	s      state
}

func (w *work) caName() string { return string(w.issuer.Settings().Provider) }

// caCall bounds one CA call that neither spends nor submits.
func (w *work) caCall(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, w.r.SubmitTimeout)
}

// readOrder is the CA's view of an order.
func (w *work) readOrder(ctx context.Context, orderID string) (provider.Order, error) {
	ctx, cancel := w.caCall(ctx)
	defer cancel()
	return w.p.Order(ctx, orderID)
}

// writeLedger records a transition of the ledger, and keeps decide's copy
// of it current.
func (w *work) writeLedger(ctx context.Context, mutate func(*orderStatus)) error {
	err := w.r.writeLedger(ctx, w.ledger, w.r.Clock.Now(), mutate)
	if err == nil {
		w.s.Ledger = w.ledger.status()
	}
	return err
}

// submit takes the rate limiter's token for the submission (prepay),
// records the plan in the ledger and only then sends it to the CA, under a
// deadline. Until the deadline, and inFlightMargin after it, no
// request of the Certificate submits or looks anything up, whatever the
// call returned.
func (w *work) submit(ctx context.Context, plan submitPlan) (ctrl.Result, error) {
	if res, done, err := w.admit(ctx, plan); done {
		return res, err
	}
	w.dcvBeforeSubmit(ctx)
	what := "the " + describe(plan.Action, plan.OrderID)
	if res, done, err := w.prepay(ctx, what); done {
		return res, err
	}
	now := w.r.Clock.Now()
	deadline := now.Add(w.r.SubmitTimeout)
	sub := &v1alpha1.Submission{
		Phase: v1alpha1.SubmissionIntent, Action: string(plan.Action), OrderID: plan.OrderID, RenewalOfOrderID: plan.RenewalOfOrderID,
		CSR: w.cr.Spec.Request, CSRSHA256: csrDigest(w.cr.Spec.Request), CommonName: w.csr.CommonName, DNSNames: w.csr.DNSNames,
		RequestName: w.cr.Name, RequestUID: w.cr.UID, IntentAt: *micro(now), Deadline: *micro(deadline.Add(inFlightMargin)),
	}
	if err := w.writeLedger(ctx, func(s *orderStatus) { s.begin(plan, sub) }); err != nil {
		return ctrl.Result{}, err
	}
	req := w.request(sub)
	req.Validity = plan.Validity
	log.FromContext(ctx).Info("submitting to the CA", "action", plan.Action, "order", plan.OrderID, "renewalOf", plan.RenewalOfOrderID, "reason", plan.Reason)
	callCtx, cancel := context.WithDeadline(ctx, deadline)
	st, err := w.p.Submit(callCtx, req)
	cancel()
	if err != nil {
		var permanent *provider.PermanentError
		if errors.As(err, &permanent) {
			// Terminal: the next request settles the submission at the CA first.
			return ctrl.Result{}, w.fail(ctx, fmt.Sprintf("%s refused %s: %v", w.caName(), what, err))
		}
		err = fmt.Errorf("%w; certorder looks the submission up at the CA once the call's window closes, before it submits again", err)
		return w.caFailed(ctx, what, err, now)
	}
	metrics.ObserveSubmission(metricsProvider(w.issuer.Settings().Provider), string(plan.Action))
	if !settled(st.State) {
		// A submission the CA settles at once is told by its Issued or
		// Failed Event, which names the order: one Event, not two.
		w.r.event(w.cr, "Normal", EventSubmitted, fmt.Sprintf("%s: %s", describe(plan.Action, plan.OrderID), plan.Reason))
	}
	return w.answered(ctx, st)
}

// prepay takes the rate limiter's token for the submission's first call
// before its intent is written, so a credential without room defers the
// request with no ledger write at all; the submission's call then takes no
// token of its own, and is never deferred once its intent is recorded.
// The wait is bounded as the call's would be. done says it answered the
// request.
func (w *work) prepay(ctx context.Context, what string) (ctrl.Result, bool, error) {
	callCtx, cancel := w.caCall(ctx)
	err := w.p.Prepay(callCtx)
	cancel()
	switch {
	case err == nil:
		return ctrl.Result{}, false, nil
	case errors.Is(err, provider.ErrNotSent):
		res, err := w.rateLimited(ctx, what, err)
		return res, true, err
	default:
		res, err := w.caFailed(ctx, "waiting to send "+what, err, w.r.Clock.Now())
		return res, true, err
	}
}

// rateLimited answers a request whose submission waits for the rate
// limiter: it waits without holding a worker.
func (w *work) rateLimited(ctx context.Context, what string, err error) (ctrl.Result, error) {
	var transient *provider.TransientError
	errors.As(err, &transient)
	// Requeue: once the limiter has room.
	return w.r.pending(ctx, w.cr, outcome{Cause: CauseRateLimited, Message: fmt.Sprintf("Retrying in %s: %s waits for the rate limiter: %v", transient.RetryAfter.Round(time.Second), what, err)}, transient.RetryAfter)
}

// admit runs the admission check; done says it answered the request.
func (w *work) admit(ctx context.Context, plan submitPlan) (ctrl.Result, bool, error) {
	admit := w.r.Admit
	if admit == nil {
		admit = admitAll
	}
	var ledger *v1alpha1.CertificateOrder
	if w.ledger.obj != nil {
		ledger = w.ledger.obj.DeepCopy()
	}
	err := admit(ctx, Admission{
		Request: w.cr, Issuer: w.issuer, IssuerKind: w.kind.Name, Ledger: ledger,
		Action: plan.Action, NewOrder: plan.Action == provider.ActionOrder, CommonName: w.csr.CommonName, DNSNames: w.csr.DNSNames,
	})
	var (
		refused  *RefusedError
		deferred *DeferredError
	)
	switch {
	case err == nil:
		return ctrl.Result{}, false, nil
	case errors.As(err, &refused):
		// Terminal: a rule forbids it; nothing was sent to the CA.
		return ctrl.Result{}, true, w.fail(ctx, "Refused by "+refused.Error())
	case errors.As(err, &deferred):
		// Requeue: the rule may allow it later.
		res, err := w.r.pending(ctx, w.cr, outcome{Cause: deferred.Cause, Message: deferred.Error()}, max(deferred.RetryAfter, w.s.PollInterval))
		return res, true, err
	default:
		return ctrl.Result{}, true, fmt.Errorf("admission check: %w", err)
	}
}

// find settles the ledger's submission whose answer was lost: it is looked
// up at the CA by its CSR and recorded when found, or dropped when the CA
// holds none, so the Certificate may submit again. done says the reconcile
// ends here; otherwise decide runs again on the new ledger.
func (w *work) find(ctx context.Context) (ctrl.Result, bool, error) {
	sub := w.s.Ledger.Submission
	what := "the earlier " + describe(provider.Action(sub.Action), sub.OrderID)
	callCtx, cancel := w.caCall(ctx)
	st, found, err := w.p.Find(callCtx, w.request(sub), sub.IntentAt.Time)
	cancel()
	if err != nil {
		var permanent *provider.PermanentError
		if errors.As(err, &permanent) {
			// Never fail here: an order may exist, so never risk a second one.
			err = &provider.TransientError{Err: err}
		}
		res, err := w.caFailed(ctx, "looking up "+what, err, sub.IntentAt.Time)
		return res, true, err
	}
	if !found {
		log.FromContext(ctx).Info("the CA holds no earlier submission; the Certificate may submit again", "action", sub.Action, "intentAt", sub.IntentAt, "request", sub.RequestName)
		err := w.writeLedger(ctx, func(s *orderStatus) { s.notFound() })
		return ctrl.Result{}, err != nil, err
	}
	if msg := w.mismatch(st, sub.CSR); msg != "" {
		st = provider.Status{Handle: st.Handle, State: provider.StateFailed, Message: msg}
	}
	if err := w.writeLedger(ctx, func(s *orderStatus) { s.answered(st, w.r.Clock.Now()) }); err != nil {
		return ctrl.Result{}, true, err
	}
	log.FromContext(ctx).Info("recovered an earlier submission", "order", st.Handle.OrderID, "request", sub.RequestName)
	w.r.event(w.cr, "Normal", EventRecovered, fmt.Sprintf("Found %s at the CA by its CSR; not submitting again", what))
	return ctrl.Result{}, false, nil
}

// poll asks the CA about this request's own submission.
func (w *work) poll(ctx context.Context) (ctrl.Result, error) {
	sub := w.s.Ledger.Submission
	h := provider.Handle{OrderID: sub.Handle.OrderID, RequestID: sub.Handle.RequestID, CertificateID: sub.Handle.CertificateID}
	callCtx, cancel := w.caCall(ctx)
	st, err := w.p.Poll(callCtx, provider.PollRequest{
		Action: provider.Action(sub.Action), Handle: h, CSR: sub.CSR,
		Known: orderStatus{&w.s.Ledger}.known(sub.Handle), Since: sub.IntentAt.Time,
	})
	cancel()
	if err != nil {
		return w.caFailed(ctx, "checking the "+describe(provider.Action(sub.Action), h.OrderID), err, w.acceptedAt())
	}
	return w.answered(ctx, st)
}

// answered records the CA's answer to this request's submission in the
// ledger, then reports it on the request.
func (w *work) answered(ctx context.Context, st provider.Status) (ctrl.Result, error) {
	if st.State == provider.StateIssued && st.Chain == nil {
		// Requeue: the certificate is fetched again on the next poll.
		return w.caFailed(ctx, "downloading the certificate", &provider.TransientError{Err: errIssuedWithoutChain}, w.acceptedAt())
	}
	if msg := w.mismatch(st, w.cr.Spec.Request); msg != "" {
		st = provider.Status{Handle: st.Handle, State: provider.StateFailed, Message: msg}
	}
	validation := w.validate(ctx, st)
	if err := w.writeLedger(ctx, func(s *orderStatus) { s.answered(st, w.r.Clock.Now()); validation.apply(s) }); err != nil {
		return ctrl.Result{}, err
	}
	sub := w.s.Ledger.Submission
	what := describe(provider.Action(sub.Action), sub.Handle.OrderID)
	switch st.State {
	case provider.StateIssued:
		metrics.ObserveIssued(metricsProvider(w.issuer.Settings().Provider), w.r.Clock.Since(w.cr.CreationTimestamp.Time))
		// Terminal: done.
		return ctrl.Result{}, w.r.report(ctx, w.cr, outcome{Reason: cmapi.CertificateRequestReasonIssued, Message: w.withValidityNote(fmt.Sprintf("Certificate issued by %s (%s)", w.caName(), what)), Chain: st.Chain})
	case provider.StateFailed:
		// Terminal: cert-manager backs off and creates a new request.
		return ctrl.Result{}, w.fail(ctx, fmt.Sprintf("%s did not issue the %s: %s", w.caName(), what, st.Message))
	}
	cause, msg := CauseOrderPending, fmt.Sprintf("Waiting for %s to issue the %s", w.caName(), what)
	if detail := cmp.Or(validation.message, st.Message); detail != "" {
		cause, msg = CauseValidationPending, msg+": "+detail
	}
	// Requeue: poll again with backoff from the issuer's poll interval, or
	// when DNS validation's next step is due, which paces the CA's checks.
	after := pollDelay(w.s.PollInterval, w.r.Clock.Since(w.acceptedAt()))
	if validation.after > 0 {
		after = validation.after
	}
	return w.r.pending(ctx, w.cr, outcome{Cause: cause, Message: w.withValidityNote(msg)}, after)
}

// mismatch says why an issued certificate cannot answer csrPEM; empty when
// it can, or when nothing was issued.
func (w *work) mismatch(st provider.Status, csrPEM []byte) string {
	if st.State != provider.StateIssued || st.Chain == nil {
		return ""
	}
	info, err := csr.Parse(csrPEM, false)
	if err != nil {
		return "the submitted CSR cannot be read: " + err.Error()
	}
	if err := st.Chain.MatchesCSR(info.CSR); err != nil {
		return fmt.Sprintf("%s returned a certificate that does not match the request: %v", w.caName(), err)
	}
	for _, n := range info.DNSNames {
		if !slices.Contains(st.Chain.Leaf.DNSNames, n) {
			return fmt.Sprintf("%s returned a certificate without the requested name %q", w.caName(), n)
		}
	}
	return ""
}

// request is the CA request of a submission, with what the ledger knows.
func (w *work) request(sub *v1alpha1.Submission) provider.Request {
	return provider.Request{
		Action: provider.Action(sub.Action), OrderID: sub.OrderID, RenewalOfOrderID: sub.RenewalOfOrderID,
		CSR: sub.CSR, CommonName: sub.CommonName, DNSNames: sub.DNSNames,
		Comment: fmt.Sprintf("cert-manager CertificateRequest %s/%s", w.cr.Namespace, sub.RequestName),
		Known:   orderStatus{&w.s.Ledger}.known(nil),
	}
}

// acceptedAt is when the CA accepted this request's submission.
func (w *work) acceptedAt() time.Time {
	if sub := w.s.Ledger.Submission; sub != nil && sub.AcceptedAt != nil {
		return sub.AcceptedAt.Time
	}
	return w.cr.CreationTimestamp.Time
}

// caFailed reports an error from the CA: a permanent one fails the request
// with the CA's message; anything else leaves it Pending and retries, as
// the CA asked or with the poll backoff. A transient fault never fails a
// request.
func (w *work) caFailed(ctx context.Context, what string, err error, since time.Time) (ctrl.Result, error) {
	var (
		permanent *provider.PermanentError
		transient *provider.TransientError
		auth      *provider.AuthError
	)
	switch {
	case errors.As(err, &permanent):
		// Terminal: cert-manager backs off and creates a new request.
		return ctrl.Result{}, w.fail(ctx, fmt.Sprintf("%s refused %s: %v", w.caName(), what, err))
	case errors.As(err, &auth):
		// The issuer's next check turns it not Ready; retry with the poll backoff.
		return w.r.pending(ctx, w.cr, outcome{Cause: CauseAuthFailed, Message: fmt.Sprintf("%s refused the issuer's credentials while %s: %v", w.caName(), what, err)}, pollDelay(w.s.PollInterval, w.r.Clock.Since(since)))
	}
	cause, wait := CauseCAUnavailable, pollDelay(w.s.PollInterval, w.r.Clock.Since(since))
	if errors.As(err, &transient) && transient.RetryAfter > 0 {
		cause, wait = CauseRateLimited, transient.RetryAfter
	}
	if sub := w.s.Ledger.Submission; sub != nil && sub.Phase == v1alpha1.SubmissionIntent {
		// Nothing happens for the Certificate before its window closes.
		wait = max(wait, sub.Deadline.Sub(w.r.Clock.Now()))
	}
	// Requeue: Pending with the error, retried after wait.
	return w.r.pending(ctx, w.cr, outcome{Cause: cause, Message: fmt.Sprintf("Retrying in %s: %s failed: %v", wait.Round(100*time.Millisecond), what, err)}, wait)
}

// fail ends the request as Failed with msg.
func (w *work) fail(ctx context.Context, msg string) error {
	return w.r.report(ctx, w.cr, outcome{Reason: cmapi.CertificateRequestReasonFailed, Message: msg})
}

// withValidityNote adds to msg that the requested duration was capped, so a
// cap is never silent.
func (w *work) withValidityNote(msg string) string {
	if _, note := capValidity(w.s.Request.Duration, w.acceptedAt()); note != "" {
		return msg + "; " + note
	}
	return msg
}

// csrDigest is the hex SHA-256 of a PEM CSR's DER bytes.
func csrDigest(csrPEM []byte) string {
	b, _ := pem.Decode(csrPEM)
	if b == nil {
		return ""
	}
	sum := sha256.Sum256(b.Bytes)
	return hex.EncodeToString(sum[:])
}

// describe names a submission for messages, without an article:
// "duplicate of order 123", "new order".
// settled tells whether the CA's answer ends the submission: issued or
// failed.
func settled(s provider.State) bool {
	return s == provider.StateIssued || s == provider.StateFailed
}

func describe(action provider.Action, orderID string) string {
	switch {
	case action == provider.ActionOrder && orderID != "":
		return "order " + orderID
	case action == provider.ActionOrder || action == "":
		return "new order"
	case action == provider.ActionReissue:
		return "reissue of order " + orderID
	default:
		return "duplicate of order " + orderID
	}
}
