package controllers

import (
	"slices"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
)

// The transitions of a ledger's status. writeLedger is their only caller.

const (
	maxPreviousOrders = 10
	maxCertificateIDs = 20
	// newOrderWindow is how long newOrdersPlaced remembers a new order.
	newOrderWindow = 24 * time.Hour
)

// orderStatus is a ledger's status with its transitions.
type orderStatus struct {
	*v1alpha1.CertificateOrderStatus
}

// begin records a submission before the CA is called, and the user
// annotations the request carries: those it acted on, and those it did not
// act on because they were used before or because the ledger holds a live
// order. A value the request no longer carries is forgotten. An adopted
// order becomes the ledger's order. DNS validation starts afresh.
func (s *orderStatus) begin(p submitPlan, sub *v1alpha1.Submission) {
	s.AnnotationsUsed = p.Used
	if a := p.Adopt; a != nil {
		s.replaceOrder(a.ID)
		s.Adopted = true
		s.CommonName, s.DNSNames = a.CommonName, a.DNSNames
		s.State = orderState(a.State)
		s.setValidUntil(a.ValidUntil)
	}
	s.Submission = sub
	s.DCV = nil
}

// notFound settles a submission the CA does not hold: it is dropped, and
// the Certificate may submit again.
func (s *orderStatus) notFound() { s.Submission = nil }

// answered records what the CA said of the submission: its handle, then
// whether it issued or failed.
func (s *orderStatus) answered(st provider.Status, now time.Time) {
	sub := s.Submission
	if sub.Handle == nil {
		sub.Handle = &v1alpha1.SubmissionHandle{}
		sub.AcceptedAt = micro(now)
		sub.Phase = v1alpha1.SubmissionAccepted
		if sub.Action == string(provider.ActionOrder) {
			s.placed(st.Handle.OrderID, sub, now)
		}
	}
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&sub.Handle.OrderID, st.Handle.OrderID}, {&sub.Handle.RequestID, st.Handle.RequestID}, {&sub.Handle.CertificateID, st.Handle.CertificateID},
	} {
		if f.src != "" {
			*f.dst = f.src
		}
	}
	s.setValidUntil(st.OrderValidUntil)
	switch st.State {
	case provider.StateIssued:
		s.issued(st, now)
	case provider.StateFailed:
		s.failed(st.Message)
	}
}

// placed records a new order the CA accepted.
func (s *orderStatus) placed(orderID string, sub *v1alpha1.Submission, now time.Time) {
	s.replaceOrder(orderID)
	s.Adopted = false
	s.CommonName, s.DNSNames = sub.CommonName, sub.DNSNames
	s.State = v1alpha1.OrderPending
	s.NewOrdersPlaced = append(s.NewOrdersPlaced, *seconds(now))
}

// replaceOrder makes orderID the ledger's order, remembering the one before.
func (s *orderStatus) replaceOrder(orderID string) {
	if s.OrderID == orderID {
		return
	}
	if s.OrderID != "" {
		s.PreviousOrderIDs = append([]string{s.OrderID}, s.PreviousOrderIDs...)[:min(len(s.PreviousOrderIDs)+1, maxPreviousOrders)]
	}
	s.OrderID = orderID
	s.CertificateIDs, s.CertificateSerials, s.NotAfter, s.LastIssued, s.OrderValidUntil = nil, nil, nil, nil, nil
}

// issued records the certificate of the submission.
func (s *orderStatus) issued(st provider.Status, now time.Time) {
	sub := s.Submission
	sub.Phase = v1alpha1.SubmissionIssued
	s.State = v1alpha1.OrderActive
	if sub.Action != string(provider.ActionDuplicate) {
		s.CommonName, s.DNSNames = sub.CommonName, sub.DNSNames
	}
	s.CertificateIDs = appendBounded(s.CertificateIDs, st.Handle.CertificateID)
	if st.Chain != nil && st.Chain.Leaf != nil {
		sub.Handle.Serial = provider.SerialHex(st.Chain.Leaf)
		s.CertificateSerials = appendBounded(s.CertificateSerials, sub.Handle.Serial)
		s.NotAfter = seconds(st.Chain.Leaf.NotAfter)
	}
	s.LastIssued = seconds(now)
}

// failed records that the CA ended the submission without a certificate.
func (s *orderStatus) failed(msg string) {
	s.Submission.Phase, s.Submission.Message = v1alpha1.SubmissionFailed, msg
	if s.Submission.Action == string(provider.ActionOrder) {
		s.State = v1alpha1.OrderFailed
	}
}

// known are the certificates recorded for the Certificate: ids and serials.
// except leaves out one submission's own certificate, for its poll.
func (s orderStatus) known(except *v1alpha1.SubmissionHandle) []string {
	var out []string
	for _, k := range slices.Concat(s.CertificateIDs, s.CertificateSerials) {
		if except != nil && (k == except.CertificateID || k == except.Serial) {
			continue
		}
		out = append(out, k)
	}
	return out
}

// hasLiveOrder tells whether the ledger holds an order renewals can use.
func (s orderStatus) hasLiveOrder(now time.Time) bool {
	return s.OrderID != "" && s.State != v1alpha1.OrderFailed && s.State != v1alpha1.OrderExpired &&
		(s.OrderValidUntil == nil || s.OrderValidUntil.After(now))
}

func (s *orderStatus) pruneNewOrders(now time.Time) {
	s.NewOrdersPlaced = slices.DeleteFunc(s.NewOrdersPlaced, func(t metav1.Time) bool { return now.Sub(t.Time) >= newOrderWindow })
}

func (s *orderStatus) setValidUntil(t time.Time) {
	if !t.IsZero() {
		s.OrderValidUntil = seconds(t)
	}
}

func appendBounded(list []string, v string) []string {
	if v == "" || slices.Contains(list, v) {
		return list
	}
	list = append(list, v)
	return list[max(0, len(list)-maxCertificateIDs):]
}

func orderState(st provider.OrderState) v1alpha1.OrderState {
	switch st {
	case provider.OrderPending:
		return v1alpha1.OrderPending
	case provider.OrderExpired:
		return v1alpha1.OrderExpired
	case provider.OrderFailed:
		return v1alpha1.OrderFailed
	default:
		return v1alpha1.OrderActive
	}
}

// seconds is t as the API stores a metav1.Time: UTC, whole seconds. A
// status compares equal to what was read back, so it is never rewritten
// unchanged.
func seconds(t time.Time) *metav1.Time {
	mt := metav1.NewTime(t.UTC().Truncate(time.Second))
	return &mt
}

// micro is t as the API stores a metav1.MicroTime.
func micro(t time.Time) *metav1.MicroTime {
	mt := metav1.NewMicroTime(t.UTC().Truncate(time.Microsecond))
	return &mt
}
