package controllers

import (
	"crypto/x509"
	"math/big"
	"slices"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
)

func TestOrderStatusTransitions(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(0xabc), NotAfter: now.AddDate(0, 3, 0)}
	var st v1alpha1.CertificateOrderStatus
	s := &orderStatus{CertificateOrderStatus: &st}
	st.OrderID, st.CertificateIDs, st.CertificateSerials = "1", []string{"c1"}, []string{"111"}
	st.NewOrdersPlaced = []metav1.Time{*seconds(now.Add(-25 * time.Hour)), *seconds(now.Add(-time.Hour))}

	s.begin(submitPlan{decision: decision{Action: provider.ActionOrder, RenewalOfOrderID: "1"}, Used: v1alpha1.AnnotationsUsed{Action: "Order"}},
		&v1alpha1.Submission{Phase: v1alpha1.SubmissionIntent, Action: "Order", CommonName: "a.example.com"})
	if st.AnnotationsUsed.Action != "Order" || st.Submission.Phase != v1alpha1.SubmissionIntent {
		t.Fatalf("begin: %+v", st)
	}
	if got := s.known(nil); !slices.Equal(got, []string{"c1", "111"}) {
		t.Errorf("known %v", got)
	}
	s.answered(provider.Status{Handle: provider.Handle{OrderID: "2"}, State: provider.StatePending}, now)
	if st.OrderID != "2" || st.PreviousOrderIDs[0] != "1" || st.State != v1alpha1.OrderPending || len(st.CertificateIDs) != 0 || st.Submission.Phase != v1alpha1.SubmissionAccepted {
		t.Errorf("accepted new order: %+v", st)
	}
	s.answered(provider.Status{Handle: provider.Handle{OrderID: "2", CertificateID: "c2"}, State: provider.StateIssued, Chain: &provider.Chain{Leaf: leaf}}, now)
	if st.State != v1alpha1.OrderActive || st.Submission.Phase != v1alpha1.SubmissionIssued || st.Submission.Handle.Serial != "abc" || !slices.Equal(st.CertificateSerials, []string{"abc"}) {
		t.Errorf("issued: %+v", st)
	}
	if got := s.known(st.Submission.Handle); len(got) != 0 {
		t.Errorf("a submission's own certificate is known to its poll: %v", got)
	}
	if len(st.NewOrdersPlaced) != 3 {
		t.Errorf("newOrdersPlaced %v, want the new order appended", st.NewOrdersPlaced)
	}
	s.pruneNewOrders(now)
	if len(st.NewOrdersPlaced) != 2 {
		t.Errorf("newOrdersPlaced %v, want entries older than a day dropped", st.NewOrdersPlaced)
	}
	s.notFound()
	if st.Submission != nil {
		t.Error("a submission the CA does not hold is kept")
	}
}

// TestBeginStartsDNSValidationAfresh: a new submission (a reissue that
// must validate again, say) never reuses the records of the last one.
func TestBeginStartsDNSValidationAfresh(t *testing.T) {
	st := v1alpha1.CertificateOrderStatus{DCV: &v1alpha1.DCVState{Records: []v1alpha1.DCVRecord{{Domain: "example.com", Value: "old"}}}}
	s := &orderStatus{CertificateOrderStatus: &st}
	s.begin(submitPlan{decision: decision{Action: provider.ActionReissue, OrderID: "1"}}, &v1alpha1.Submission{Phase: v1alpha1.SubmissionIntent, Action: "Reissue"})
	if st.DCV != nil {
		t.Errorf("status.dcv %+v after begin, want none", st.DCV)
	}
}
