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
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
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

// TestRequestCaches runs the shipped manager against a real API server
// (cert-manager v1.21.2's CRDs, which declare spec.issuerRef.group
// selectable) with each CertificateRequest cache: certorder reconciles its
// own requests, and the cache holds no CSR of another issuer's request
// nor of a terminal one. With the field selector, another issuer's request
// is not in the cache at all.
func TestRequestCaches(t *testing.T) {
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	ctx := context.Background()
	if err := env.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "certorder-system"}}); err != nil {
		t.Fatal(err)
	}

	t.Run("probe", func(t *testing.T) {
		if got, err := app.ProbeRequestCache(ctx, env.Client); got != app.OwnRequests || err != nil {
			t.Errorf("the probe chose %v, %v; want the field selector", got, err)
		}
		// The real API server's answer to a field it cannot select on.
		undeclared := fields.OneTermEqualSelector("spec.isCA", "true")
		if got, err := app.Probe(ctx, env.Client, undeclared); got != app.AllRequests || err != nil {
			t.Errorf("a probe with %s chose %v, %v; want every request cached", undeclared, got, err)
		}
	})
	for _, tc := range []struct {
		ns            string
		cache         app.RequestCache
		cachesForeign bool
	}{{"all", app.AllRequests, true}, {"own", app.OwnRequests, false}} {
		t.Run(tc.ns, func(t *testing.T) {
			foreign, ours, failed := createRequests(t, env.Client, tc.ns)
			cached := startManager(t, env, tc.cache)
			tu.Eventually(t, 30*time.Second, "certorder reconciles its request", func() error {
				var got cmapi.CertificateRequest
				if err := env.Client.Get(ctx, client.ObjectKeyFromObject(ours), &got); err != nil {
					return err
				}
				c := apiutil.GetCertificateRequestCondition(&got, cmapi.CertificateRequestConditionReady)
				if c == nil || c.Reason != cmapi.CertificateRequestReasonPending || !strings.Contains(c.Message, "does not exist") {
					return fmt.Errorf("Ready is %+v", c)
				}
				return nil
			})
			// Another issuer's request, created first, is cached (or not)
			// by the time certorder's requests are.
			tu.Eventually(t, 30*time.Second, "the cache trims requests", func() error {
				for _, c := range []struct {
					cr      *cmapi.CertificateRequest
					wantCSR bool
				}{{ours, true}, {failed, false}} {
					if err := cachedWithCSR(ctx, cached, c.cr, c.wantCSR); err != nil {
						return err
					}
				}
				return nil
			})
			err := cachedWithCSR(ctx, cached, foreign, false)
			switch {
			case tc.cachesForeign && err != nil:
				t.Error(err)
			case !tc.cachesForeign && !apierrors.IsNotFound(err):
				t.Errorf("another issuer's request is in the cache: %v", err)
			}
		})
	}
}

// createRequests creates, in a new namespace ns, a request of another
// issuer, an approved one of certorder's and a failed one of certorder's.
func createRequests(t *testing.T, k8s client.Client, ns string) (foreign, ours, failed *cmapi.CertificateRequest) {
	t.Helper()
	ctx := context.Background()
	if err := k8s.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
		t.Fatal(err)
	}
	csr := tu.CSRPEM(tu.WithDNSNames("a.example.com"))
	foreign = tu.CertificateRequest(ns, "foreign", tu.WithCSR(csr), tu.WithCertificate("web"))
	foreign.Spec.IssuerRef = cmmeta.IssuerReference{Group: "cert-manager.io", Kind: "Issuer", Name: "ca"}
	ours = tu.CertificateRequest(ns, "ours", tu.WithCSR(csr), tu.WithIssuer(v1alpha1.DigiCertIssuerKind, "missing"))
	failed = tu.CertificateRequest(ns, "failed", tu.WithCSR(csr), tu.WithIssuer(v1alpha1.DigiCertIssuerKind, "missing"))
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
	return foreign, ours, failed
}

// startManager runs the shipped manager, its requests cached as c says,
// until the test ends, and returns its cached client.
func startManager(t *testing.T, env *testenv.Env, c app.RequestCache) client.Client {
	t.Helper()
	opts := app.ManagerOptions()
	app.CacheRequests(&opts, c)
	opts.Metrics = metricsserver.Options{BindAddress: "0"}
	opts.Controller = config.Controller{SkipNameValidation: ptr.To(true)}
	mgr, err := ctrl.NewManager(env.Config, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.AddToManager(mgr, app.Options{ClusterResourceNamespace: "certorder-system"}); err != nil {
		t.Fatal(err)
	}
	mctx, cancel := context.WithCancel(context.Background())
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
	return mgr.GetClient()
}

// cachedWithCSR checks that cr is in the cache without managedFields, and
// with or without its CSR.
func cachedWithCSR(ctx context.Context, cached client.Client, cr *cmapi.CertificateRequest, wantCSR bool) error {
	var got cmapi.CertificateRequest
	if err := cached.Get(ctx, client.ObjectKeyFromObject(cr), &got); err != nil {
		return err
	}
	if (len(got.Spec.Request) > 0) != wantCSR || got.ManagedFields != nil {
		return fmt.Errorf("%s is cached with %d CSR bytes and managedFields %v", got.Name, len(got.Spec.Request), got.ManagedFields != nil)
	}
	return nil
}
