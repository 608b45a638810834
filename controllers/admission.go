package controllers

import (
	"context"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
)

// Admission is what an admission check sees of a submission about to be
// made: the request, its issuer, the Certificate's ledger and the action
// chosen. It runs after the state is loaded and the action chosen, and
// before anything is recorded or sent to the CA.
type Admission struct {
	Request *cmapi.CertificateRequest
	Issuer  Issuer
	// IssuerKind is the issuer's kind, for example DigiCertClusterIssuer.
	IssuerKind string
	// Ledger is the Certificate's CertificateOrder; nil before its first
	// submission.
	Ledger *v1alpha1.CertificateOrder
	// Action, and whether it places a new, paid order.
	Action   provider.Action
	NewOrder bool
	// CommonName and DNSNames of the request's CSR.
	CommonName string
	DNSNames   []string
}

// AdmitFunc decides whether a submission may go ahead. nil admits it. A
// *RefusedError fails the request with its message; a *DeferredError keeps
// it Pending and retries later. Any other error is retried with backoff.
// This is the one place tenancy rules (allowed namespaces and names, the
// new-order budget) plug into the request path.
type AdmitFunc func(ctx context.Context, a Admission) error

// admitAll is the default AdmitFunc.
func admitAll(context.Context, Admission) error { return nil }

// RefusedError: a rule forbids the submission. Rule names it for the
// request's message, for example "allowedDNSNames".
type RefusedError struct {
	Rule string
	Err  error
}

var _ error = (*RefusedError)(nil)

func (e *RefusedError) Error() string { return e.Rule + ": " + e.Err.Error() }

func (e *RefusedError) Unwrap() error { return e.Err }

// DeferredError: the submission may go ahead later, for example once the
// new-order budget has room. Cause is the Event reason (BudgetReached).
type DeferredError struct {
	Cause      string
	RetryAfter time.Duration
	Err        error
}

var _ error = (*DeferredError)(nil)

func (e *DeferredError) Error() string { return e.Err.Error() }

func (e *DeferredError) Unwrap() error { return e.Err }
