package e2e

import (
	"errors"
	"testing"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
	"github.com/certorder/certorder/internal/provider/fakeca"
)

// pollsFail makes every look-up of orders fail until the faults are
// cleared, so that an order stays unissued while certorder is stopped.
var pollsFail = fakeca.Fault{Kind: fakeca.ServerError, Method: "GET", PathPrefix: dcfake.Prefix + "/order/certificate"}

// TestCertorderRestartedMidOrder stops certorder while an order is in
// flight and starts a new one. It is not parallel: the other scenarios wait
// while certorder is down.
func TestCertorderRestartedMidOrder(t *testing.T) {
	t.Run("between submission and issuance", func(t *testing.T) {
		fake := newDigiCert(t)
		fake.SetBehavior(dcfake.Behavior{Shape: dcfake.CertificateID})
		fake.Faults().Add(pollsFail)
		iss := digiCertIssuer(t, stack.Client, fake)
		crt := iss.certificate("restart", "restart.example.com")
		create(t, stack.Client, crt)
		eventually(t, "the CA accepted the order", func() error {
			rec := &v1alpha1.CertificateOrder{}
			if err := stack.Client.Get(t.Context(), ledgerKey(crt), rec); err != nil {
				return err
			}
			if sub := rec.Status.Submission; sub == nil || sub.Handle == nil {
				return errors.New("no handle in the CertificateOrder yet")
			}
			return nil
		})
		restartCertorder(t, fake, crt)
		iss.verify(t, stack.Client, crt, 1)
		wantCounts(t, fake.Counts(), dcfake.Counts{Orders: 1})
	})

	t.Run("after the CA placed the order but its answer was lost", func(t *testing.T) {
		fake := newDigiCert(t)
		fake.Faults().Add(fakeca.Fault{Kind: fakeca.DropAfterCommit, Method: "POST", PathPrefix: dcfake.Prefix + "/order/certificate/"})
		fake.Faults().Add(pollsFail)
		iss := digiCertIssuer(t, stack.Client, fake)
		crt := iss.certificate("lost", "lost.example.com")
		create(t, stack.Client, crt)
		eventually(t, "the CA placed the order", func() error {
			if fake.Counts().Orders == 0 {
				return errors.New("no order yet")
			}
			return nil
		})
		restartCertorder(t, fake, crt)
		iss.verify(t, stack.Client, crt, 1)
		wantCounts(t, fake.Counts(), dcfake.Counts{Orders: 1})
	})
}

// restartCertorder stops certorder, checks that one order was placed and
// that the Certificate's request is not issued yet, clears the fake's
// faults and starts a new certorder.
func restartCertorder(t *testing.T, fake *dcfake.Server, crt *cmapi.Certificate) {
	t.Helper()
	stack.StopCertorder()
	wantCounts(t, fake.Counts(), dcfake.Counts{Orders: 1})
	cr := &cmapi.CertificateRequest{}
	err := stack.Client.Get(t.Context(), client.ObjectKey{Namespace: crt.Namespace, Name: crt.Name + "-1"}, cr)
	if err != nil || apiutil.CertificateRequestReadyReason(cr) == cmapi.CertificateRequestReasonIssued {
		t.Errorf("while certorder was stopped, %s was issued or unreadable (%v)", cr.Name, err)
	}
	fake.Faults().Clear()
	if err := stack.StartCertorder(); err != nil {
		t.Fatal(err)
	}
}
