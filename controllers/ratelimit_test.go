package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"golang.org/x/time/rate"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
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
	// A CA and API key of its own: the issuers earlier tests left behind
	// share the suite's key, and their checks would take its tokens.
	const key = "limited-key"
	ca, err := dcfake.New(dcfake.Options{APIKeys: []string{key}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ca.Close)
	ca.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
	url := ca.Start()
	ns := newNamespace(t)
	createSecret(t, ns, "digicert", map[string]string{"api-key": key})
	iss := &v1alpha1.DigiCertIssuer{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "digicert"}, Spec: dcSpec(func(s *v1alpha1.DigiCertIssuerSpec) { s.URL = url })}
	create(t, iss)
	waitIssuer(t, iss, controllers.ReasonChecked)
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
	if got := ca.Counts().Orders; got != 1 {
		t.Errorf("%d orders placed, want 1", got)
	}
}
