package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"golang.org/x/time/rate"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/internal/app"
	"github.com/certorder/certorder/internal/provider"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
)

// A saturated credential defers the submission without holding a worker
// or leaving an intent in the ledger; once the limiter has room the request
// is issued with exactly one order.
func TestSaturatedLimiterDefersSubmission(t *testing.T) {
	startManager(t, func(o *app.Options) {
		// The issuer's check takes the only token; the submission must wait 8s.
		o.DigiCertLimits = provider.NewLimiters(rate.Every(8*time.Second), 1)
	})
	ns := newNamespace(t)
	readyDigiCertIssuer(t, ns)
	dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
	before := dc.Counts()
	cr := request(ns, "limited", "limited", "limited.example.com")
	createApproved(t, cr)
	eventually(t, "the request to wait for the rate limiter", func() error {
		cur := &cmapi.CertificateRequest{}
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(cr), cur); err != nil {
			return err
		}
		if msg := readyMessage(cur); !strings.Contains(msg, "waits for the rate limiter") {
			return fmt.Errorf("message %q", msg)
		}
		if l := ledgerOf(t, ns, "limited", "DigiCertIssuer", "digicert"); l.Status.Submission != nil {
			return fmt.Errorf("the ledger holds a submission that was never sent: %+v", l.Status.Submission)
		}
		return nil
	})
	waitRequest(t, cr, cmapi.CertificateRequestReasonIssued)
	if got := dc.Counts().Orders - before.Orders; got != 1 {
		t.Errorf("%d orders placed, want 1", got)
	}
}
