package controllers

import (
	"context"
	"errors"
	"fmt"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/csr"
	"github.com/certorder/certorder/internal/provider"
)

// work is one reconcile of one approved, valid request whose issuer is Ready.
type work struct {
	r      *RequestReconciler
	cr     *cmapi.CertificateRequest
	kind   Kind
	issuer Issuer
	p      provider.Provider
	csr    *csr.Info
	now    time.Time
	// live is the CA's view of the order a renewal builds on, when known.
	live *provider.Order
	// saved is the order record as this reconcile last wrote it.
	saved *v1alpha1.CertificateOrder
}

// request is the CA request for this CertificateRequest, without the action.
func (w *work) request() provider.Request {
	return provider.Request{
		CSR:        w.cr.Spec.Request,
		CommonName: w.csr.CommonName,
		DNSNames:   w.csr.DNSNames,
		Comment:    fmt.Sprintf("cert-manager CertificateRequest %s/%s", w.cr.Namespace, w.cr.Name),
	}
}

// requestedDuration is the request's spec.duration, zero when unset.
func (w *work) requestedDuration() time.Duration {
	if w.cr.Spec.Duration == nil {
		return 0
	}
	return w.cr.Spec.Duration.Duration
}

func (w *work) caName() string { return string(w.issuer.Settings().Provider) }

// annotate patches annotations (an empty value removes one). With
// optimistic set, the patch carries the cached resourceVersion, so a stale
// read fails with Conflict instead of overwriting newer state.
func (w *work) annotate(ctx context.Context, annotations map[string]string, optimistic bool) error {
	before := w.cr.DeepCopy()
	if w.cr.Annotations == nil {
		w.cr.Annotations = map[string]string{}
	}
	for k, v := range annotations {
		if v == "" {
			delete(w.cr.Annotations, k)
		} else {
			w.cr.Annotations[k] = v
		}
	}
	patch := client.MergeFrom(before)
	if optimistic {
		patch = client.MergeFromWithOptions(before, client.MergeFromWithOptimisticLock{})
	}
	return w.r.Client.Patch(ctx, w.cr, patch)
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
		// The issuer's next check turns it not Ready; retry after the poll interval.
		return w.r.pending(ctx, w.cr, fmt.Sprintf("%s refused the issuer's credentials while %s: %v", w.caName(), what, err), w.issuer.Settings().PollInterval)
	}
	wait := pollDelay(w.issuer.Settings().PollInterval, w.now.Sub(since))
	if errors.As(err, &transient) && transient.RetryAfter > 0 {
		wait = transient.RetryAfter
	}
	// Requeue: Pending with the error, retried after wait.
	return w.r.pending(ctx, w.cr, fmt.Sprintf("Retrying in %s: %s failed: %v", wait.Round(100*time.Millisecond), what, err), wait)
}

// fail ends the request as Failed with msg.
func (w *work) fail(ctx context.Context, msg string) error {
	return w.r.report(ctx, w.cr, outcome{Reason: cmapi.CertificateRequestReasonFailed, Message: msg})
}
