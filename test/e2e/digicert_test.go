package e2e

import (
	"fmt"
	"strings"
	"testing"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"

	"github.com/certorder/certorder/api/v1alpha1"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
)

func TestDigiCertIssues(t *testing.T) {
	t.Parallel()
	fake := newDigiCert(t)
	iss := digiCertIssuer(t, stack.Client, fake)
	iss.issue(t, stack.Client, "web", "web.example.com", "www.example.com")
	wantCounts(t, fake.Counts(), dcfake.Counts{Orders: 1})
}

func TestDigiCertRenewal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		policy v1alpha1.RenewalPolicy
		want   dcfake.Counts
	}{
		{"default policy Duplicate: a duplicate on the same order", "", dcfake.Counts{Orders: 1, Duplicates: 1}},
		{"policy Reissue: a reissue of the same order", v1alpha1.RenewalReissue, dcfake.Counts{Orders: 1, Reissues: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := newDigiCert(t)
			iss := digiCertIssuer(t, stack.Client, fake, func(s *v1alpha1.DigiCertIssuerSpec) { s.Renewal = tc.policy })
			crt, first := iss.issue(t, stack.Client, "api", "api.example.com")
			renew(t, stack.Client, crt)
			if second := iss.verify(t, stack.Client, crt, 2); first.SerialNumber.Cmp(second.SerialNumber) == 0 {
				t.Error("the renewed Secret holds the first certificate")
			}
			wantCounts(t, fake.Counts(), tc.want)
			sameDigiCertOrder(t, crt)
		})
	}
}

func TestDigiCertNamesChanged(t *testing.T) {
	t.Parallel()
	fake := newDigiCert(t)
	iss := digiCertIssuer(t, stack.Client, fake)
	crt, _ := iss.issue(t, stack.Client, "shop", "shop.example.com", "www.shop.example.com")
	update(t, stack.Client, crt, func(c *cmapi.Certificate) { c.Spec.DNSNames = []string{"shop.example.com", "store.example.com"} })
	iss.verify(t, stack.Client, crt, 2)
	wantCounts(t, fake.Counts(), dcfake.Counts{Orders: 1, Reissues: 1})
	sameDigiCertOrder(t, crt)
}

func TestDigiCertPendingValidation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		behavior dcfake.Behavior
		dcv      string
		want     []string
	}{
		{"awaiting approval", dcfake.Behavior{Shape: dcfake.NeedsApproval, PendingPolls: 3}, "", []string{`"needs_approval"`, "waiting for approval of request"}},
		{"awaiting DNS validation", dcfake.Behavior{Shape: dcfake.CertificateID, PendingPolls: 3}, "dns-txt-token", []string{`"pending"`, "dcv_method dns-txt-token", "DCV random value"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := newDigiCert(t)
			fake.SetBehavior(tc.behavior)
			iss := digiCertIssuer(t, stack.Client, fake, func(s *v1alpha1.DigiCertIssuerSpec) { s.DCVMethod = tc.dcv })
			crt := iss.certificate("pending", "pending.example.com")
			create(t, stack.Client, crt)
			request(t, stack.Client, crt, 1, "Pending in DigiCert's words", func(cr *cmapi.CertificateRequest) error {
				ready := apiutil.GetCertificateRequestCondition(cr, cmapi.CertificateRequestConditionReady)
				if ready == nil || ready.Reason != cmapi.CertificateRequestReasonPending || !strings.HasPrefix(ready.Message, "Waiting for DigiCert") {
					return fmt.Errorf("Ready is %+v", ready)
				}
				for _, w := range tc.want {
					if !strings.Contains(ready.Message, w) {
						return fmt.Errorf("message %q lacks %q", ready.Message, w)
					}
				}
				return nil
			})
			iss.verify(t, stack.Client, crt, 1)
			wantCounts(t, fake.Counts(), dcfake.Counts{Orders: 1})
			if polls := fake.Calls()["GET /order/certificate/{order_id}"]; polls < tc.behavior.PendingPolls+1 {
				t.Errorf("the order was polled %d times, want at least %d", polls, tc.behavior.PendingPolls+1)
			}
		})
	}
}
