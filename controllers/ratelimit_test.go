package controllers_test

import (
	"context"
	"fmt"
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
// and without writing the ledger: the submission's token is taken before
// its intent is recorded. Once the limiter has room the request is issued
// with exactly one order.
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
	// The CA rejects the first order; the second request places a new one,
	// and is deferred too, with a settled submission in the ledger.
	ledger := client.ObjectKey{Namespace: ns, Name: controllers.LedgerName("limited", v1alpha1.IssuerReference{Kind: "DigiCertIssuer", Name: "digicert"})}
	version := func() string {
		var co v1alpha1.CertificateOrder
		if err := k8s.Get(context.Background(), ledger, &co); err != nil {
			return err.Error()
		}
		return co.ResourceVersion
	}
	for i, tc := range []struct {
		behavior dcfake.Behavior
		reason   string
	}{
		{dcfake.Behavior{Shape: dcfake.NeedsApproval, Reject: "not this one"}, cmapi.CertificateRequestReasonFailed},
		{dcfake.Behavior{Shape: dcfake.Immediate}, cmapi.CertificateRequestReasonIssued},
	} {
		ca.SetBehavior(tc.behavior)
		before := version()
		cr := request(ns, fmt.Sprintf("limited-%d", i+1), "limited", "limited.example.com")
		createApproved(t, cr)
		waitMessage(t, cr, "waits for the rate limiter")
		if now := version(); now != before {
			t.Errorf("the ledger was written while the submission waited for the limiter: version %q, then %q", before, now)
		}
		waitRequest(t, cr, tc.reason)
		if got := ca.Counts().Orders; got != i+1 {
			t.Errorf("%d orders placed, want %d", got, i+1)
		}
	}
}
