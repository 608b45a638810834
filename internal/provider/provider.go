// Package provider is the provider-neutral contract between the reconcilers
// and the certificate authorities: what a request to a CA looks like, what a
// CA answers, and how its errors are classified. The concrete clients live in
// the subpackages; controllers only ever see this package.
package provider

import (
	"context"
	"time"
)

// Action is what a CertificateRequest asks of the CA.
type Action string

const (
	// ActionOrder places a new, paid order.
	ActionOrder Action = "Order"
	// ActionReissue reissues an existing order with a new CSR (and possibly
	// new names); free.
	ActionReissue Action = "Reissue"
	// ActionDuplicate issues an extra certificate on an existing order with
	// the same names; free, and the previous certificate stays valid.
	ActionDuplicate Action = "Duplicate"
)

// Request is one submission to the CA.
type Request struct {
	// Action to take.
	Action Action
	// OrderID is the order to reissue or duplicate. Empty for ActionOrder.
	OrderID string
	// RenewalOfOrderID, for ActionOrder, names the expiring order the new
	// one renews (DigiCert's renewal_of_order_id). Optional.
	RenewalOfOrderID string
	// CSR is the PEM-encoded certificate signing request.
	CSR []byte
	// CommonName and DNSNames are the names to certify, taken from the CSR
	// (CAs do not read them out of the CSR).
	CommonName string
	DNSNames   []string
	// Validity requested for the certificate, already capped by the caller;
	// zero lets the CA choose.
	Validity time.Duration
	// Comment is free text the CA stores with the order, such as the
	// requesting object's namespace/name. It must not hold secrets.
	Comment string
	// Known lists what the ledger already recorded for this Certificate:
	// CA certificate ids and leaf serial numbers (hex, as
	// SerialHex prints them). With a reused private key a renewal's CSR is
	// byte-identical to the last one, so the CSR alone cannot tell a new
	// certificate from an old one; Find and Poll never answer with a
	// certificate in Known.
	Known []string
}

// Handle identifies what a submission created at the CA. Which fields are
// set depends on the CA and the response shape.
type Handle struct {
	OrderID       string
	RequestID     string
	CertificateID string
}

// State of a submission at the CA.
type State string

const (
	// StatePending: the CA has not issued yet (validation, approval).
	StatePending State = "Pending"
	// StateIssued: the certificate is available in Status.Chain.
	StateIssued State = "Issued"
	// StateFailed: rejected, cancelled or otherwise final without a
	// certificate.
	StateFailed State = "Failed"
)

// Status is what the CA says about a submission.
type Status struct {
	Handle Handle
	State  State
	// Message is the CA's own words: the validation still outstanding and
	// the DCV token to publish while pending, the reason when failed.
	Message string
	// Chain is set when State is StateIssued.
	Chain *Chain
	// OrderValidUntil is the end of the order (plan), when the CA told.
	OrderValidUntil time.Time
}

// PollRequest asks the CA for the state of an earlier submission.
type PollRequest struct {
	Action Action
	Handle Handle
	// CSR of the submission: reissues and duplicates are told apart from
	// the order's other certificates by their CSR.
	CSR []byte
	// Known is as in Request: certificates that can never answer this
	// submission.
	Known []string
	// Since is when the ledger recorded the submission's intent. A
	// certificate issued before it (less the CA's clock skew, see
	// Predates) is not an answer to this submission.
	Since time.Time
}

// OrderState is the lifecycle state of an order as a whole.
type OrderState string

const (
	OrderPending OrderState = "Pending"
	OrderActive  OrderState = "Active"
	OrderExpired OrderState = "Expired"
	OrderFailed  OrderState = "Failed"
)

// Order is what the CA holds for an order.
type Order struct {
	ID         string
	State      OrderState
	CommonName string
	DNSNames   []string
	// ValidUntil is the end of the order (plan). Zero when unknown.
	ValidUntil time.Time
}

// Provider is one CA account, as configured by one issuer.
//
// Errors are classified by wrapping them in *TransientError, *PermanentError
// or *AuthError; callers sort them with errors.As.
type Provider interface {
	// Check verifies the credentials with a cheap authenticated call.
	Check(ctx context.Context) error
	// Prepay takes now the rate limiter's token for the next call made in
	// ctx (Caller.Prepay): certorder takes a submission's token before it
	// records the submission's intent, so a credential without room defers
	// the request before anything is written.
	Prepay(ctx context.Context) error
	// Submit sends req to the CA exactly once: it is never retried by the
	// client. The returned Status may already be StateIssued.
	Submit(ctx context.Context, req Request) (Status, error)
	// Poll reports the state of an earlier submission.
	Poll(ctx context.Context, req PollRequest) (Status, error)
	// Find looks for a submission of req made at or after since, matched by
	// its CSR: the recovery path when a crash lost the handle. found is
	// false when the CA holds no such submission.
	Find(ctx context.Context, req Request, since time.Time) (st Status, found bool, err error)
	// Order returns the CA's view of an order, for adopting and renewing it.
	Order(ctx context.Context, orderID string) (Order, error)
}
