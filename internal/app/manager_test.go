package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/app"
	"github.com/certorder/certorder/internal/testenv"
	tu "github.com/certorder/certorder/internal/testutil"
)

// TestTrimmedCacheReconciles runs the shipped manager against a real API
// server: with CertificateRequests trimmed in its cache, certorder still
// reconciles its own requests, and the cache holds no CSR of another
// issuer's request nor of a terminal one.
func TestTrimmedCacheReconciles(t *testing.T) {
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	ctx := context.Background()
	k8s := env.Client
	for _, ns := range []string{"certorder-system", "t"} {
		if err := k8s.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			t.Fatal(err)
		}
	}
	opts := app.ManagerOptions()
	opts.Metrics = metricsserver.Options{BindAddress: "0"}
	opts.Controller = config.Controller{SkipNameValidation: ptr.To(true)}
	mgr, err := ctrl.NewManager(env.Config, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.AddToManager(mgr, app.Options{ClusterResourceNamespace: "certorder-system"}); err != nil {
		t.Fatal(err)
	}
	mctx, cancel := context.WithCancel(ctx)
	running, err := app.StartManager(mctx, mgr, time.Minute)
	t.Cleanup(func() {
		cancel()
		if err := running.Wait(); err != nil {
			t.Errorf("manager: %v", err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}

	csr := tu.CSRPEM(tu.WithDNSNames("a.example.com"))
	foreign := tu.CertificateRequest("t", "foreign", tu.WithCSR(csr), tu.WithCertificate("web"))
	foreign.Spec.IssuerRef = cmmeta.IssuerReference{Group: "cert-manager.io", Kind: "Issuer", Name: "ca"}
	ours := tu.CertificateRequest("t", "ours", tu.WithCSR(csr), tu.WithIssuer(v1alpha1.DigiCertIssuerKind, "missing"))
	failed := tu.CertificateRequest("t", "failed", tu.WithCSR(csr), tu.WithIssuer(v1alpha1.DigiCertIssuerKind, "missing"))
	for _, cr := range []*cmapi.CertificateRequest{foreign, ours, failed} {
		if err := k8s.Create(ctx, cr); err != nil {
			t.Fatal(err)
		}
	}
	failed.Status.Conditions = []cmapi.CertificateRequestCondition{
		tu.Condition(cmapi.CertificateRequestConditionApproved, "test"),
		{Type: cmapi.CertificateRequestConditionReady, Status: cmmeta.ConditionFalse, Reason: cmapi.CertificateRequestReasonFailed, Message: "test"},
	}
	if err := k8s.Status().Update(ctx, failed); err != nil {
		t.Fatal(err)
	}
	ours.Status.Conditions = []cmapi.CertificateRequestCondition{tu.Condition(cmapi.CertificateRequestConditionApproved, "test")}
	if err := k8s.Status().Update(ctx, ours); err != nil {
		t.Fatal(err)
	}

	tu.Eventually(t, 30*time.Second, "certorder reconciles its request", func() error {
		var got cmapi.CertificateRequest
		if err := k8s.Get(ctx, client.ObjectKeyFromObject(ours), &got); err != nil {
			return err
		}
		c := apiutil.GetCertificateRequestCondition(&got, cmapi.CertificateRequestConditionReady)
		if c == nil || c.Reason != cmapi.CertificateRequestReasonPending || !strings.Contains(c.Message, "does not exist") {
			return fmt.Errorf("Ready is %+v", c)
		}
		return nil
	})
	cached := mgr.GetClient()
	tu.Eventually(t, 30*time.Second, "the cache trims requests", func() error {
		for _, tc := range []struct {
			cr      *cmapi.CertificateRequest
			wantCSR bool
		}{{foreign, false}, {failed, false}, {ours, true}} {
			var got cmapi.CertificateRequest
			if err := cached.Get(ctx, client.ObjectKeyFromObject(tc.cr), &got); err != nil {
				return err
			}
			if (len(got.Spec.Request) > 0) != tc.wantCSR || got.ManagedFields != nil {
				return fmt.Errorf("%s is cached with %d CSR bytes and managedFields %v", got.Name, len(got.Spec.Request), got.ManagedFields != nil)
			}
		}
		return nil
	})
}
