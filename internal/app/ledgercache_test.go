package app_test

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	toolscache "k8s.io/client-go/tools/cache"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/app"
)

// ledger is a CertificateOrder as the API server sends it, with a
// submission in phase.
func ledger(phase v1alpha1.SubmissionPhase) *v1alpha1.CertificateOrder {
	return &v1alpha1.CertificateOrder{
		ObjectMeta: metav1.ObjectMeta{
			Namespace: "ns", Name: "web-0a1b2c3d4e", ResourceVersion: "9",
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "certorder"}},
		},
		Spec: v1alpha1.CertificateOrderSpec{CertificateName: "web", Provider: v1alpha1.ProviderDigiCert,
			IssuerRef: v1alpha1.IssuerReference{Kind: "DigiCertIssuer", Name: "dc"}},
		Status: v1alpha1.CertificateOrderStatus{
			OrderID: "42", CommonName: "web.example.com", State: v1alpha1.OrderActive, DNSNames: []string{"web.example.com"},
			OrderValidUntil: &metav1.Time{Time: time.Date(2027, 12, 6, 0, 0, 0, 0, time.UTC)},
			NewOrdersPlaced: []metav1.Time{{Time: time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)}},
			CertificateIDs:  []string{"7"}, CertificateSerials: []string{"0a1b"},
			Submission: &v1alpha1.Submission{
				Phase: phase, Action: "Order", CSR: []byte("-----BEGIN CERTIFICATE REQUEST-----"), CSRSHA256: "ab12",
				CommonName: "web.example.com", RequestName: "web-1", RequestUID: "u1",
				Handle: &v1alpha1.SubmissionHandle{OrderID: "42"},
			},
		},
	}
}

func TestTrimLedger(t *testing.T) {
	whole := func(phase v1alpha1.SubmissionPhase) *v1alpha1.CertificateOrder {
		co := ledger(phase)
		co.ManagedFields = nil
		return co
	}
	// summary keeps what the lists of ledgers read, and the phase alone
	// of the submission.
	summary := func(phase v1alpha1.SubmissionPhase) *v1alpha1.CertificateOrder {
		co := ledger(phase)
		return &v1alpha1.CertificateOrder{
			ObjectMeta: metav1.ObjectMeta{Namespace: co.Namespace, Name: co.Name, ResourceVersion: co.ResourceVersion},
			Spec:       co.Spec,
			Status: v1alpha1.CertificateOrderStatus{
				OrderID: co.Status.OrderID, State: co.Status.State, OrderValidUntil: co.Status.OrderValidUntil,
				NewOrdersPlaced: co.Status.NewOrdersPlaced, Submission: &v1alpha1.Submission{Phase: phase},
			},
		}
	}
	noSubmission := ledger(v1alpha1.SubmissionIssued)
	noSubmission.Status.Submission = nil
	for _, tc := range []struct {
		name string
		in   *v1alpha1.CertificateOrder
		want *v1alpha1.CertificateOrder
	}{
		{"an intent is kept whole: recovery looks it up by its CSR", ledger(v1alpha1.SubmissionIntent), whole(v1alpha1.SubmissionIntent)},
		{"an accepted submission is kept whole: every poll sends its CSR", ledger(v1alpha1.SubmissionAccepted), whole(v1alpha1.SubmissionAccepted)},
		{"a ledger whose submission was issued is summarized", ledger(v1alpha1.SubmissionIssued), summary(v1alpha1.SubmissionIssued)},
		{"a ledger whose submission failed is summarized", ledger(v1alpha1.SubmissionFailed), summary(v1alpha1.SubmissionFailed)},
		{"a ledger without a submission drops only managedFields", noSubmission.DeepCopy(), func() *v1alpha1.CertificateOrder {
			co := noSubmission.DeepCopy()
			co.ManagedFields = nil
			return co
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) { checkTrim(t, app.TrimLedger, tc.in, tc.want) })
	}
}

func TestTrimLedgerLeavesOtherObjects(t *testing.T) {
	tomb := toolscache.DeletedFinalStateUnknown{Key: "ns/web", Obj: ledger(v1alpha1.SubmissionIssued)}
	out, err := app.TrimLedger(tomb)
	if err != nil {
		t.Fatal(err)
	}
	if !equality.Semantic.DeepEqual(out, tomb) {
		t.Errorf("a tombstone became %+v", out)
	}
}

func TestManagerOptionsTrimLedgers(t *testing.T) {
	for obj, by := range app.ManagerOptions().Cache.ByObject {
		if _, ok := obj.(*v1alpha1.CertificateOrder); !ok || by.Transform == nil {
			continue
		}
		out, err := by.Transform(ledger(v1alpha1.SubmissionIssued))
		if err != nil {
			t.Fatal(err)
		}
		if co := out.(*v1alpha1.CertificateOrder); co.Status.Submission.CSR != nil || co.ManagedFields != nil {
			t.Errorf("the manager caches %+v", co)
		}
		return
	}
	t.Error("the manager's cache has no transform for CertificateOrders")
}
