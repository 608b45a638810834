package controllers

import (
	"context"
	"errors"
	"fmt"
	"time"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/csr"
	"github.com/certorder/certorder/internal/provider"
)

// RequestReconciler turns approved CertificateRequests that reference a
// certorder issuer into CA orders, reissues or duplicates, exactly once,
// and writes the issued chain back.
type RequestReconciler struct {
	Client client.Client
	// APIReader reads without a cache: Secrets, Certificates, and the
	// request that made a ledger's submission.
	APIReader                client.Reader
	Kinds                    Kinds
	ClusterResourceNamespace string
	Recorder                 events.EventRecorder
	Clock                    clock.PassiveClock
	// SubmitTimeout bounds one CA call, with its limiter wait. A
	// submission's in-flight window closes inFlightMargin after it.
	SubmitTimeout time.Duration
	// Admit runs before anything is recorded or sent to the CA for a
	// submission; nil admits everything. See AdmitFunc.
	Admit AdmitFunc
	// DCV tunes hands-free DNS validation.
	DCV DCVOptions
}

const (
	// inFlightMargin keeps a submission's in-flight window open past its
	// call's deadline, for a CA that commits after the client gave up.
	inFlightMargin = 5 * time.Second
	// maxSteps bounds the decide-act rounds of one reconcile.
	maxSteps = 6
)

// reconcileTimeout bounds one reconcile: a few CA calls and API writes.
func (r *RequestReconciler) reconcileTimeout() time.Duration {
	return 4*r.SubmitTimeout + 30*time.Second
}

// Reconcile advances one CertificateRequest: load the request, its issuer
// and its Certificate's ledger; decide the next step; make at most the CA
// calls it needs; record the outcome in the ledger, then in the request.
func (r *RequestReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, r.reconcileTimeout())
	defer cancel()
	// The reconcile's first CA call is deferred rather than held when the
	// credential's rate limiter has no room (provider.ErrNotSent).
	ctx = provider.Deferrable(ctx)
	cr := &cmapi.CertificateRequest{}
	if err := r.Client.Get(ctx, req.NamespacedName, cr); err != nil {
		// Deleted: nothing to do.
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	kind, ours := r.Kinds.Lookup(cr.Spec.IssuerRef.Group, cr.Spec.IssuerRef.Kind)
	if !ours || Terminal(cr) {
		// Not ours, or done: terminal.
		return ctrl.Result{}, nil
	}
	if apiutil.CertificateRequestIsDenied(cr) {
		// Terminal: cert-manager's approval machinery said no.
		return ctrl.Result{}, r.report(ctx, cr, outcome{Reason: cmapi.CertificateRequestReasonDenied, Message: "The request was denied; no CA was called"})
	}
	if !apiutil.CertificateRequestIsApproved(cr) {
		// Wait: the approval updates the request, which requeues it.
		return ctrl.Result{}, nil
	}
	w, res, err := r.load(ctx, cr, kind)
	if w == nil {
		return res, err
	}
	res, err = w.run(ctx)
	if staleLedger(err) {
		// Requeue: the ledger changed since it was read; start again on fresh data.
		log.FromContext(ctx).V(1).Info("ledger write lost to a newer one; retrying", "error", err.Error())
		return ctrl.Result{RequeueAfter: time.Second}, nil
	}
	return res, err
}

// load reads the issuer, the CSR, the ledger and what decide needs. A nil
// work means the request was answered (or must be retried) already.
func (r *RequestReconciler) load(ctx context.Context, cr *cmapi.CertificateRequest, kind Kind) (*work, ctrl.Result, error) {
	issuerKey := kind.issuerKey(cr.Namespace, cr.Spec.IssuerRef.Name)
	ctx = log.IntoContext(ctx, log.FromContext(ctx).WithValues("issuer", kind.describe(issuerKey)))
	issuer := kind.New()
	if err := r.Client.Get(ctx, issuerKey, issuer); err != nil {
		if !apierrors.IsNotFound(err) {
			return nil, ctrl.Result{}, err
		}
		// Requeued by the issuer watch when it appears, and periodically.
		res, err := r.pending(ctx, cr, outcome{Cause: CauseIssuerNotReady, Message: fmt.Sprintf("Waiting for %s: it does not exist", kind.describe(issuerKey))}, time.Minute)
		return nil, res, err
	}
	settings := issuer.Settings()
	waited := r.Clock.Since(cr.CreationTimestamp.Time)
	if ready, why := IsReady(issuer); !ready {
		// Requeued by the issuer watch when it becomes Ready; meanwhile with backoff.
		res, err := r.pending(ctx, cr, outcome{Cause: CauseIssuerNotReady, Message: fmt.Sprintf("Waiting for %s to be Ready: %s", kind.describe(issuerKey), why)}, pollDelay(settings.PollInterval, waited))
		return nil, res, err
	}
	info, err := csr.Parse(cr.Spec.Request, cr.Spec.IsCA)
	if err != nil {
		// Terminal: nothing is sent to the CA.
		return nil, ctrl.Result{}, r.report(ctx, cr, outcome{Reason: cmapi.CertificateRequestReasonFailed, Message: "Invalid request: " + err.Error(), Invalid: true})
	}
	p, err := kind.Provider(ctx, issuer, secretReader(r.APIReader, secretNamespace(issuer, r.ClusterResourceNamespace)))
	if err != nil {
		// The issuer reconciler reports the cause; retry with backoff.
		res, err := r.pending(ctx, cr, outcome{Cause: CauseIssuerNotReady, Message: fmt.Sprintf("%s cannot be used: %v", kind.describe(issuerKey), err)}, pollDelay(settings.PollInterval, waited))
		return nil, res, err
	}
	ref := v1alpha1.IssuerReference{Name: cr.Spec.IssuerRef.Name, Kind: kind.Name, Group: v1alpha1.GroupVersion.Group}
	l, err := r.loadLedger(ctx, cr, ref, settings.Provider)
	if err != nil {
		return nil, ctrl.Result{}, err
	}
	w := &work{r: r, cr: cr, kind: kind, issuer: issuer, p: p, csr: info, ledger: l}
	w.s = state{
		Now: r.Clock.Now(), Provider: settings.Provider, Policy: settings.Renewal, PollInterval: settings.PollInterval,
		Adoption: adoptionOf(issuer), Ledger: l.status(),
		Request: requestFacts{
			UID: cr.UID, Name: cr.Name, CommonName: info.CommonName, Names: info.DNSNames, Duration: requestedDuration(cr),
			CreatedAt: cr.CreationTimestamp.Time, ActionAnnotation: cr.Annotations[AnnotationAction], OrderIDAnnotation: cr.Annotations[AnnotationOrderID],
		},
	}
	if w.s.OwnerGone, err = r.ownerGone(ctx, cr, w.s.Ledger.Submission); err != nil {
		return nil, ctrl.Result{}, err
	}
	if id := w.s.Request.OrderIDAnnotation; id != "" && id != w.s.Ledger.AnnotationsUsed.OrderID {
		if w.s.HeldBy, err = r.heldBy(ctx, l, id); err != nil {
			return nil, ctrl.Result{}, err
		}
	}
	return w, ctrl.Result{}, nil
}

// ownerGone tells whether the request that made another request's
// submission no longer waits for it: deleted, replaced or finished.
func (r *RequestReconciler) ownerGone(ctx context.Context, cr *cmapi.CertificateRequest, sub *v1alpha1.Submission) (bool, error) {
	if sub == nil || sub.RequestUID == cr.UID {
		return false, nil
	}
	owner := &cmapi.CertificateRequest{}
	err := r.APIReader.Get(ctx, client.ObjectKey{Namespace: cr.Namespace, Name: sub.RequestName}, owner)
	switch {
	case apierrors.IsNotFound(err):
		return true, nil
	case err != nil:
		return false, fmt.Errorf("reading request %s, which made the ledger's submission: %w", sub.RequestName, err)
	}
	return owner.UID != sub.RequestUID || Terminal(owner), nil
}

// run decides and acts until a step answers the request.
func (w *work) run(ctx context.Context) (ctrl.Result, error) {
	for range maxSteps {
		st := decide(w.s)
		switch st.Kind {
		case stepWait:
			// Requeue after st.After.
			return w.r.pending(ctx, w.cr, outcome{Cause: st.Cause, Message: st.Message}, st.After)
		case stepFail:
			// Terminal: cert-manager backs off and creates a new request.
			return ctrl.Result{}, w.fail(ctx, st.Message)
		case stepPoll:
			return w.poll(ctx)
		case stepSubmit:
			return w.submit(ctx, st.Plan)
		case stepReadOrder:
			live, err := w.readOrder(ctx, st.OrderID)
			if err != nil {
				return w.caFailed(ctx, "reading order "+st.OrderID, err, w.cr.CreationTimestamp.Time)
			}
			w.s.Live = &live
		case stepFind:
			if res, done, err := w.find(ctx); done {
				return res, err
			}
		}
	}
	// Requeue: the ledger kept changing under this reconcile.
	return ctrl.Result{RequeueAfter: time.Second}, nil
}

// pending reports a Pending outcome and requeues after the given wait.
func (r *RequestReconciler) pending(ctx context.Context, cr *cmapi.CertificateRequest, o outcome, after time.Duration) (ctrl.Result, error) {
	o.Reason = cmapi.CertificateRequestReasonPending
	if err := r.report(ctx, cr, o); err != nil {
		return ctrl.Result{}, err
	}
	return ctrl.Result{RequeueAfter: after}, nil
}

// adoptionOf is the issuer's adoption policy; off for kinds without one.
func adoptionOf(issuer Issuer) v1alpha1.Adoption {
	if a, ok := issuer.(interface{ AdoptionPolicy() v1alpha1.Adoption }); ok {
		return a.AdoptionPolicy()
	}
	return v1alpha1.Adoption{}
}

// requestedDuration is the request's spec.duration, zero when unset.
func requestedDuration(cr *cmapi.CertificateRequest) time.Duration {
	if cr.Spec.Duration == nil {
		return 0
	}
	return cr.Spec.Duration.Duration
}

// errIssuedWithoutChain: the CA said issued and sent no certificate.
var errIssuedWithoutChain = errors.New("the CA reported the certificate issued but returned none")
