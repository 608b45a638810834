package controllers

import (
	"context"
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

	"github.com/certorder/certorder/internal/csr"
)

// RequestReconciler turns approved CertificateRequests that reference a
// certorder issuer into CA orders, reissues or duplicates, exactly once,
// and writes the issued chain back.
type RequestReconciler struct {
	Client client.Client
	// APIReader reads without a cache: Secrets, and fresh copies of
	// requests whose submission must be recovered.
	APIReader                client.Reader
	Kinds                    Kinds
	ClusterResourceNamespace string
	Recorder                 events.EventRecorder
	Clock                    clock.PassiveClock
	// SubmitTimeout bounds one submission: the limiter wait and the CA call.
	SubmitTimeout time.Duration

	ended endedSubmissions
}

// Reconcile advances one CertificateRequest by one step of its life.
func (r *RequestReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	cr := &cmapi.CertificateRequest{}
	if err := r.Client.Get(ctx, req.NamespacedName, cr); err != nil {
		// Deleted: nothing to do.
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	kind, ours := r.Kinds.Lookup(cr.Spec.IssuerRef.Group, cr.Spec.IssuerRef.Kind)
	if !ours || terminal(cr) {
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
	issuerKey := kind.issuerKey(cr.Namespace, cr.Spec.IssuerRef.Name)
	ctx = log.IntoContext(ctx, log.FromContext(ctx).WithValues("issuer", kind.describe(issuerKey)))
	issuer := kind.New()
	if err := r.Client.Get(ctx, issuerKey, issuer); err != nil {
		if !apierrors.IsNotFound(err) {
			return ctrl.Result{}, err
		}
		// Requeued by the issuer watch when it appears, and periodically.
		return r.pending(ctx, cr, fmt.Sprintf("Waiting for %s: it does not exist", kind.describe(issuerKey)), time.Minute)
	}
	waited := r.Clock.Since(cr.CreationTimestamp.Time)
	if ready, why := IsReady(issuer); !ready {
		// Requeued by the issuer watch when it becomes Ready; meanwhile with backoff.
		return r.pending(ctx, cr, fmt.Sprintf("Waiting for %s to be Ready: %s", kind.describe(issuerKey), why), pollDelay(issuer.Settings().PollInterval, waited))
	}
	info, err := csr.Parse(cr.Spec.Request, cr.Spec.IsCA)
	if err != nil {
		// Terminal: nothing is sent to the CA.
		return ctrl.Result{}, r.report(ctx, cr, outcome{Reason: cmapi.CertificateRequestReasonFailed, Message: "Invalid request: " + err.Error(), Invalid: true})
	}
	p, err := kind.Provider(ctx, issuer, secretReader(r.APIReader, secretNamespace(issuer, r.ClusterResourceNamespace)))
	if err != nil {
		// The issuer reconciler reports the cause; retry with backoff.
		return r.pending(ctx, cr, fmt.Sprintf("%s cannot be used: %v", kind.describe(issuerKey), err), pollDelay(issuer.Settings().PollInterval, waited))
	}
	w := &work{r: r, cr: cr, kind: kind, issuer: issuer, p: p, csr: info, now: r.Clock.Now()}
	switch _, submitted := intentOf(cr); {
	case accepted(cr):
		return w.poll(ctx)
	case submitted:
		return w.recover(ctx)
	default:
		return w.submit(ctx)
	}
}

// pending reports a Pending outcome and requeues after the given wait.
func (r *RequestReconciler) pending(ctx context.Context, cr *cmapi.CertificateRequest, msg string, after time.Duration) (ctrl.Result, error) {
	if err := r.report(ctx, cr, outcome{Reason: cmapi.CertificateRequestReasonPending, Message: msg}); err != nil {
		return ctrl.Result{}, err
	}
	return ctrl.Result{RequeueAfter: after}, nil
}
