package controllers

import (
	"errors"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
)

// requestFacts are what decide needs of a CertificateRequest.
type requestFacts struct {
	UID  types.UID
	Name string
	// CommonName and Names (the common name first) of the CSR.
	CommonName string
	Names      []string
	// Duration requested; zero for cert-manager's default.
	Duration time.Duration
	// CreatedAt is when the request was created.
	CreatedAt time.Time
	// The user's annotations, as copied from the Certificate.
	ActionAnnotation  string
	OrderIDAnnotation string
}

// state is everything decide reads: loaded before it runs, and grown by
// the CA reads it asks for.
type state struct {
	Now      time.Time
	Request  requestFacts
	Ledger   v1alpha1.CertificateOrderStatus
	Provider v1alpha1.Provider
	Policy   v1alpha1.RenewalPolicy
	Adoption v1alpha1.Adoption
	// PollInterval is the issuer's first wait between polls.
	PollInterval time.Duration
	// OwnerGone: the request that made the ledger's submission no longer
	// waits for it (deleted, replaced or finished).
	OwnerGone bool
	// HeldBy names another CertificateOrder that holds the order the
	// certorder.dev/order-id annotation names.
	HeldBy string
	// Live is the CA's view of the order a renewal builds on, once read.
	Live *provider.Order
}

// stepKind is what a reconcile does next.
type stepKind int

const (
	// stepWait: stay Pending (Cause, Message) and requeue After.
	stepWait stepKind = iota + 1
	// stepFail: Failed with Message; nothing is sent to the CA.
	stepFail
	// stepFind: the ledger's submission may be at the CA with its answer
	// lost; look it up by CSR.
	stepFind
	// stepPoll: ask the CA about this request's own submission.
	stepPoll
	// stepReadOrder: read order OrderID at the CA, then decide again.
	stepReadOrder
	// stepSubmit: record Plan in the ledger, then send it to the CA.
	stepSubmit
)

// step is decide's answer.
type step struct {
	Kind    stepKind
	Cause   string
	Message string
	After   time.Duration
	OrderID string
	Plan    submitPlan
}

// submitPlan is a submission to make.
type submitPlan struct {
	decision
	// Used are the user annotations this submission acts on, to record.
	Used v1alpha1.AnnotationsUsed
	// Adopt is the order certorder.dev/order-id adopts, if any.
	Adopt *provider.Order
}

// decide is the pure core of a request's reconcile: from the loaded state
// it chooses the next step. A submission already in the ledger is settled
// before anything new is submitted for the Certificate.
func decide(s state) step {
	if sub := s.Ledger.Submission; sub != nil {
		mine := sub.RequestUID == s.Request.UID
		switch sub.Phase {
		case v1alpha1.SubmissionIntent:
			if wait := sub.Deadline.Sub(s.Now); wait > 0 {
				// Requeue when the window closes: the call may still be under
				// way, and a lookup now could miss it and buy twice.
				return step{Kind: stepWait, Cause: CauseSubmissionInFlight, After: wait, Message: fmt.Sprintf(
					"Waiting for the outcome of the %s that request %s submitted at %s", describe(provider.Action(sub.Action), sub.OrderID), sub.RequestName, sub.IntentAt.UTC().Format(time.RFC3339))}
			}
			return step{Kind: stepFind}
		case v1alpha1.SubmissionAccepted:
			if mine {
				return step{Kind: stepPoll}
			}
			if !s.OwnerGone {
				// Requeue: one request of a Certificate submits at a time.
				return step{Kind: stepWait, Cause: CauseOrderPending, After: s.PollInterval, Message: fmt.Sprintf(
					"Waiting for request %s, whose %s is under way at the CA", sub.RequestName, describe(provider.Action(sub.Action), sub.Handle.OrderID))}
			}
		case v1alpha1.SubmissionIssued:
			if mine {
				return step{Kind: stepPoll}
			}
		case v1alpha1.SubmissionFailed:
			if mine {
				return step{Kind: stepFail, Message: fmt.Sprintf("The CA did not issue the %s: %s", describe(provider.Action(sub.Action), sub.Handle.OrderID), sub.Message)}
			}
		}
	}
	return choose(s)
}

// choose picks what to submit for a request whose Certificate has no
// submission under way.
func choose(s state) step {
	l := orderStatus{CertificateOrderStatus: &s.Ledger}
	used := v1alpha1.AnnotationsUsed{OrderID: s.Request.OrderIDAnnotation, Action: s.Request.ActionAnnotation}
	candidate := ""
	if l.OrderID != "" && l.State != v1alpha1.OrderFailed {
		candidate = l.OrderID
	}
	adopting := false
	if id := s.Request.OrderIDAnnotation; id != "" && id != l.AnnotationsUsed.OrderID && id != l.OrderID && !l.hasLiveOrder(s.Now) {
		switch {
		case !s.Adoption.Enabled:
			return step{Kind: stepFail, Message: fmt.Sprintf("Refused by adoption rule: certorder.dev/order-id asks to adopt order %s, but the issuer does not allow adoption (spec.adoption.enabled is false)", id)}
		case s.HeldBy != "":
			return step{Kind: stepFail, Message: fmt.Sprintf("Refused by adoption rule: order %s is already held by CertificateOrder %s; an order serves one Certificate", id, s.HeldBy)}
		}
		candidate, adopting = id, true
	}
	if candidate != "" && (s.Live == nil || s.Live.ID != candidate) {
		return step{Kind: stepReadOrder, OrderID: candidate}
	}
	var live *provider.Order
	if candidate != "" {
		live = s.Live
	}
	override := s.Request.ActionAnnotation
	if override == l.AnnotationsUsed.Action {
		override = ""
	}
	validity, _ := capValidity(s.Request.Duration, s.Now)
	d, err := chooseAction(actionInput{
		Provider: s.Provider, Policy: s.Policy, Override: override,
		Live: live, Names: s.Request.Names, Validity: validity, Now: s.Now,
	})
	switch {
	case errors.Is(err, errPendingOrder):
		// Requeue: the order may complete; nothing is bought meanwhile.
		return step{Kind: stepWait, Cause: CauseOrderPending, Message: err.Error(), After: pollDelay(s.PollInterval, s.Now.Sub(s.Request.CreatedAt))}
	case err != nil:
		return step{Kind: stepFail, Message: "Cannot serve this request: " + err.Error()}
	}
	adopted := adopting || (l.Adopted && d.OrderID == l.OrderID)
	if adopted && d.Action == provider.ActionReissue && live != nil && !sameNames(live.CommonName, live.DNSNames, s.Request.Names) && !s.Adoption.AllowNameChanges {
		return step{Kind: stepFail, Message: fmt.Sprintf("Refused by adoption rule: a reissue would change the names of adopted order %s from %v to %v, and DigiCert then revokes the order's other certificates; set spec.adoption.allowNameChanges on the issuer to allow it", live.ID, orderNames(live.CommonName, live.DNSNames), s.Request.Names)}
	}
	plan := submitPlan{decision: d, Used: used}
	if adopting {
		plan.Adopt = live
	}
	return step{Kind: stepSubmit, Plan: plan}
}
