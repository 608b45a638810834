package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"golang.org/x/time/rate"
	"k8s.io/apimachinery/pkg/api/equality"
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
		// The issuer's check takes the only token; a submission must wait
		// up to 3s, over the 1s a reconcile's first call may wait.
		o.DigiCertLimits = provider.NewLimiters(rate.Every(3*time.Second), 1)
	})
	// A CA and API key of its own: the issuers earlier tests left behind
	// share the suite's key, and their checks would take its tokens.
	const key = "limited-key"
	ca, err := dcfake.New(dcfake.Options{APIKeys: []string{key}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ca.Close)
	url := ca.Start()
	ns := newNamespace(t)
	createSecret(t, ns, "digicert", map[string]string{"api-key": key})
	iss := &v1alpha1.DigiCertIssuer{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "digicert"}, Spec: dcSpec(func(s *v1alpha1.DigiCertIssuerSpec) { s.URL = url })}
	create(t, iss)
	waitIssuer(t, iss, controllers.ReasonChecked)
	// The CA rejects the first order. The second request places a new one
	// as its reconcile's first CA call, so it is deferred too: its
	// withdrawn intent writes back the first's failed submission, CSR
	// included, though the cache holds that submission without its CSR.
	var first *v1alpha1.Submission
	for i, tc := range []struct {
		behavior dcfake.Behavior
		reason   string
	}{
		{dcfake.Behavior{Shape: dcfake.NeedsApproval, Reject: "not this one"}, cmapi.CertificateRequestReasonFailed},
		{dcfake.Behavior{Shape: dcfake.Immediate}, cmapi.CertificateRequestReasonIssued},
	} {
		ca.SetBehavior(tc.behavior)
		cr := request(ns, fmt.Sprintf("limited-%d", i+1), "limited", "limited.example.com")
		createApproved(t, cr)
		eventually(t, "the request to wait for the rate limiter", func() error {
			cur := &cmapi.CertificateRequest{}
			if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(cr), cur); err != nil {
				return err
			}
			if msg := readyMessage(cur); !strings.Contains(msg, "waits for the rate limiter") {
				return fmt.Errorf("message %q", msg)
			}
			if sub := ledgerOf(t, ns, "limited", "DigiCertIssuer", "digicert").Status.Submission; !equality.Semantic.DeepEqual(sub, first) {
				return fmt.Errorf("the ledger holds submission %+v, want the one before the withdrawn intent: %+v", sub, first)
			}
			return nil
		})
		waitRequest(t, cr, tc.reason)
		if got := ca.Counts().Orders; got != i+1 {
			t.Errorf("%d orders placed, want %d", got, i+1)
		}
		if first = ledgerOf(t, ns, "limited", "DigiCertIssuer", "digicert").Status.Submission; first == nil || len(first.CSR) == 0 {
			t.Fatalf("the settled submission %+v lacks its CSR", first)
		}
	}
}
