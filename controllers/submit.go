package controllers

import (
	"context"
	"errors"
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/util/retry"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/certorder/certorder/internal/metrics"
	"github.com/certorder/certorder/internal/provider"
)

// findSkew widens the recovery search for clocks that differ between the
// controller and the CA.
const findSkew = 10 * time.Minute

// inFlightWindow is how long after its intent a submission may still be
// waiting for the CA: past it, the submitting process has given up.
func (r *RequestReconciler) inFlightWindow() time.Duration {
	return r.SubmitTimeout + 5*time.Second
}

// submit chooses the action and submits it exactly once: the intent is
// written with the cached resourceVersion as a precondition before the CA
// is called, and the handle after.
func (w *work) submit(ctx context.Context) (ctrl.Result, error) {
	d, err := w.decide(ctx)
	switch {
	case errors.Is(err, errPendingOrder):
		// Requeue: the order may complete; nothing is bought meanwhile.
		return w.r.pending(ctx, w.cr, err.Error(), w.issuer.Settings().PollInterval)
	case errors.As(err, new(*unservableError)):
		// Terminal: no CA call can satisfy it.
		return ctrl.Result{}, w.fail(ctx, "Cannot serve this request: "+err.Error())
	case err != nil:
		return w.caFailed(ctx, "reading the Certificate's order", err, w.cr.CreationTimestamp.Time)
	}
	in := intent{At: w.now, Action: d.Action, OrderID: d.OrderID}
	if err := w.annotate(ctx, in.annotations(), true); err != nil {
		if apierrors.IsConflict(err) {
			// Requeue: a stale read; the next attempt sees the fresh request.
			log.FromContext(ctx).V(1).Info("intent write conflicted; retrying on fresh data")
			return ctrl.Result{RequeueAfter: time.Second}, nil
		}
		return ctrl.Result{}, err
	}
	req := w.request()
	req.Action, req.OrderID, req.RenewalOfOrderID, req.Validity = d.Action, d.OrderID, d.RenewalOfOrderID, d.Validity
	log.FromContext(ctx).Info("submitting to the CA", "action", d.Action, "order", d.OrderID, "renewalOf", d.RenewalOfOrderID, "reason", d.Reason)
	submitCtx, cancel := context.WithTimeout(ctx, w.r.SubmitTimeout)
	st, err := w.p.Submit(submitCtx, req)
	cancel()
	if err != nil {
		w.r.ended.markEnded(w.cr.UID, in.At)
		var permanent *provider.PermanentError
		if !errors.As(err, &permanent) {
			err = fmt.Errorf("%w; certorder looks the submission up at the CA before it submits again", err)
		}
		return w.caFailed(ctx, "the "+describe(d.Action, d.OrderID), err, w.now)
	}
	metrics.ObserveSubmission(metricsProvider(w.issuer.Settings().Provider), string(d.Action))
	w.r.Recorder.Eventf(w.cr, nil, "Normal", "Submitted", "Submit", "%s: %s", describe(d.Action, d.OrderID), d.Reason)
	return w.accept(ctx, d.Action, st)
}

// decide reads the Certificate's order and chooses the action.
func (w *work) decide(ctx context.Context) (decision, error) {
	validity, _ := capValidity(w.requestedDuration(), w.now)
	record, err := w.record(ctx)
	if err != nil {
		return decision{}, err
	}
	candidate := w.cr.Annotations[AnnotationOrderID]
	if candidate == "" && record != nil {
		candidate = record.Status.OrderID
	}
	if candidate != "" {
		o, err := w.p.Order(ctx, candidate)
		if err != nil {
			return decision{}, fmt.Errorf("reading order %s: %w", candidate, err)
		}
		w.live = &o
	}
	settings := w.issuer.Settings()
	d, err := chooseAction(actionInput{
		Provider: settings.Provider, Policy: settings.Renewal, Override: w.cr.Annotations[AnnotationAction],
		Live: w.live, Names: w.csr.DNSNames, Validity: validity, Now: w.now,
	})
	if err != nil && !errors.Is(err, errPendingOrder) {
		return d, &unservableError{Err: err}
	}
	return d, err
}

// unservableError: the request asks for something no CA call can do.
type unservableError struct{ Err error }

func (e *unservableError) Error() string { return e.Err.Error() }

func (e *unservableError) Unwrap() error { return e.Err }

// recover handles a request whose intent was written but whose handle was
// not: the CA may hold a submission from a reconcile that crashed or lost
// the answer. It is looked up by CSR and adopted; only when the CA holds
// none is the request submitted again.
func (w *work) recover(ctx context.Context) (ctrl.Result, error) {
	if err := w.r.APIReader.Get(ctx, client.ObjectKeyFromObject(w.cr), w.cr); err != nil {
		return ctrl.Result{}, err
	}
	if accepted(w.cr) {
		// The cache was behind: the handle is there.
		return w.poll(ctx)
	}
	in, _ := intentOf(w.cr)
	if wait := w.r.inFlightWindow() - w.now.Sub(in.At); wait > 0 && !w.r.ended.hasEnded(w.cr.UID, in.At) {
		// Requeue: another process may still be waiting for the CA's answer;
		// looking it up now could miss it and submit twice.
		return w.r.pending(ctx, w.cr, fmt.Sprintf("Waiting for the outcome of the %s, submitted at %s", describe(in.Action, in.OrderID), in.At.UTC().Format(time.RFC3339)), wait)
	}
	req := w.request()
	req.Action, req.OrderID = in.Action, in.OrderID
	st, found, err := w.p.Find(ctx, req, in.At.Add(-findSkew))
	if err != nil {
		var permanent *provider.PermanentError
		if errors.As(err, &permanent) {
			// Never fail here: an order may exist, so never risk a second one.
			err = &provider.TransientError{Err: err}
		}
		return w.caFailed(ctx, "looking up the earlier "+describe(in.Action, in.OrderID), err, in.At)
	}
	if !found {
		log.FromContext(ctx).Info("the CA holds no earlier submission of this request; submitting", "action", in.Action, "intentAt", in.At)
		return w.submit(ctx)
	}
	log.FromContext(ctx).Info("recovered an earlier submission", "order", st.Handle.OrderID, "request", st.Handle.RequestID)
	w.r.Recorder.Eventf(w.cr, nil, "Normal", "Recovered", "Recover", "Found the %s at the CA by its CSR; not submitting again", describe(in.Action, st.Handle.OrderID))
	return w.accept(ctx, in.Action, st)
}

// accept records the CA's handle and the order, then acts on the status.
func (w *work) accept(ctx context.Context, action provider.Action, st provider.Status) (ctrl.Result, error) {
	err := retry.OnError(retry.DefaultBackoff, func(err error) bool { return !apierrors.IsNotFound(err) }, func() error {
		return w.annotate(ctx, handleAnnotations(st.Handle, w.now), false)
	})
	if err != nil {
		// Requeue: the intent stays, so the next attempt recovers by CSR.
		return ctrl.Result{}, fmt.Errorf("recording the CA handle: %w", err)
	}
	w.r.ended.forget(w.cr.UID)
	if err := w.saveRecord(ctx, func(s *orderStatus) { s.accepted(action, st, w) }); err != nil {
		return ctrl.Result{}, err
	}
	return w.handle(ctx, action, st)
}

// describe names a submission for messages, without an article:
// "duplicate of order 123", "new order".
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
