package e2e

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/internal/localcluster"
)

// TestDeniedRequest runs its own stack without cert-manager's approver: the
// test is the approver, and it denies.
func TestDeniedRequest(t *testing.T) {
	t.Parallel()
	denying, err := localcluster.Start(context.Background(), localcluster.Options{CATimeout: caTimeout, WithoutApprover: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := denying.Stop(); err != nil {
			t.Error(err)
		}
	})
	c := denying.Client
	fake := newDigiCert(t)
	iss := digiCertIssuer(t, c, fake)
	crt := iss.certificate("denied", "denied.example.com")
	create(t, c, crt)
	cr := request(t, c, crt, 1, "created", func(*cmapi.CertificateRequest) error { return nil })
	eventually(t, "denying "+cr.Name, func() error {
		if err := c.Get(t.Context(), client.ObjectKeyFromObject(cr), cr); err != nil {
			return err
		}
		apiutil.SetCertificateRequestCondition(cr, cmapi.CertificateRequestConditionDenied, cmmeta.ConditionTrue, "e2e.certorder.dev", "denied by the e2e approver")
		return c.Status().Update(t.Context(), cr)
	})
	request(t, c, crt, 1, "Ready=False/Denied", func(cr *cmapi.CertificateRequest) error {
		ready := apiutil.GetCertificateRequestCondition(cr, cmapi.CertificateRequestConditionReady)
		if ready == nil || ready.Status != cmmeta.ConditionFalse || ready.Reason != cmapi.CertificateRequestReasonDenied || cr.Status.FailureTime == nil {
			return fmt.Errorf("Ready is %+v, failureTime %v", ready, cr.Status.FailureTime)
		}
		return nil
	})
	eventually(t, "the Certificate's issuance failed", func() error {
		if err := c.Get(t.Context(), client.ObjectKeyFromObject(crt), crt); err != nil {
			return err
		}
		issuing := apiutil.GetCertificateCondition(crt, cmapi.CertificateConditionIssuing)
		if issuing == nil || issuing.Status != cmmeta.ConditionFalse || crt.Status.LastFailureTime == nil {
			return fmt.Errorf("Issuing is %+v, lastFailureTime %v", issuing, crt.Status.LastFailureTime)
		}
		return nil
	})
	wantCounts(t, fake.Counts().Orders+fake.Counts().Reissues+fake.Counts().Duplicates, 0)
	// Only the issuer's credential check reached the CA.
	if calls := slices.Collect(maps.Keys(fake.Calls())); len(calls) != 1 || calls[0] != "GET /user/me" {
		t.Errorf("the CA served %v, want only the issuer's GET /user/me", fake.Calls())
	}
}
