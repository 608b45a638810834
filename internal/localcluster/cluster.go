// Package localcluster runs the whole certorder stack in one process, for
// the e2e suite and `make demo`: a real kube-apiserver and etcd (envtest)
// with cert-manager's and certorder's CRDs, cert-manager's real controllers
// from the cert-manager module, certorder's manager wired exactly as
// main.go wires it (internal/app) and authenticated as a user that holds
// only the ClusterRole of config/rbac, and both fake CAs on loopback.
//
//	c, err := localcluster.Start(ctx, localcluster.Options{})
//	defer c.Stop()
//	// kubectl --kubeconfig c.Kubeconfig ...; c.Client; c.DigiCert.Counts()
//
// With Options.WithoutCertorder the caller runs certorder itself, for
// example the built binary with --kubeconfig c.CertorderKubeconfig.
//
// KUBEBUILDER_ASSETS must point at the envtest binaries
// (hack/envtest-assets.sh). Logs are discarded unless VerboseEnv is set.
package localcluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/controllers"
	"github.com/certorder/certorder/internal/provider"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
	opfake "github.com/certorder/certorder/internal/provider/openprovider/fake"
	"github.com/certorder/certorder/internal/testenv"
)

// DefaultClusterResourceNamespace holds the Secrets of cluster-scoped
// issuers, for certorder and cert-manager alike, unless Options say otherwise.
const DefaultClusterResourceNamespace = "certorder-system"

// Options configure a local cluster.
type Options struct {
	// Dir receives the admin kubeconfig (Dir/kubeconfig) and certorder's
	// (Dir/certorder.kubeconfig). When empty, a temporary directory is used
	// and removed by Stop.
	Dir string
	// ClusterResourceNamespace defaults to DefaultClusterResourceNamespace.
	ClusterResourceNamespace string
	// CATimeout bounds one call to a CA (app.Options.CATimeout); default
	// 10s. A restarted certorder waits about twice as long before it looks
	// up a submission whose outcome it lost.
	CATimeout time.Duration
	// WithoutApprover leaves cert-manager's approver out, so that the caller
	// approves or denies CertificateRequests itself.
	WithoutApprover bool
	// WithoutCertorder does not start certorder's manager; StartCertorder
	// can start it later, or the caller runs certorder as a process.
	WithoutCertorder bool
	// DigiCertLimits replaces certorder's per-API-key limits on calls to
	// DigiCert (app.Options.DigiCertLimits); nil keeps certorder's defaults.
	DigiCertLimits *provider.Limiters
	// OpenproviderLimits likewise replaces certorder's per-account limits
	// on calls to Openprovider.
	OpenproviderLimits *provider.Limiters
	// Wrap, when set, wraps the transports of certorder's and
	// cert-manager's Kubernetes clients (wrap.go).
	Wrap WrapFunc
	// DCV tunes certorder's hands-free DNS validation
	// (app.Options.DCV): the resolvers of a test zone, say.
	DCV controllers.DCVOptions
}

// Cluster is a running local stack.
type Cluster struct {
	// Kubeconfig is the path of an admin (system:masters) kubeconfig.
	Kubeconfig string
	// CertorderKubeconfig is the path of a kubeconfig for certorder's user,
	// which holds only the ClusterRole of config/rbac.
	CertorderKubeconfig string
	// Config and Client are the admin's; Client knows the Kubernetes,
	// cert-manager and certorder kinds.
	Config *rest.Config
	Client client.Client
	// ClusterResourceNamespace exists and holds cluster issuers' Secrets.
	ClusterResourceNamespace string

	// DigiCert and Openprovider are the fake CAs, served at DigiCertURL and
	// OpenproviderURL, accepting DigiCertAPIKey and OpenproviderUsername
	// with OpenproviderPassword.
	DigiCert        *dcfake.Server
	DigiCertURL     string
	Openprovider    *opfake.Server
	OpenproviderURL string

	env       *testenv.Env
	opts      Options
	tmpDir    string
	certorder *runner
	stopCM    func()

	stopOnce sync.Once
	stopErr  error
}

// Start starts the stack and returns once every part runs. The controllers
// run until Stop, or until ctx is done.
func Start(ctx context.Context, opts Options) (_ *Cluster, err error) {
	setupLogging()
	if opts.ClusterResourceNamespace == "" {
		opts.ClusterResourceNamespace = DefaultClusterResourceNamespace
	}
	if opts.CATimeout <= 0 {
		opts.CATimeout = 10 * time.Second
	}
	c := &Cluster{opts: opts, ClusterResourceNamespace: opts.ClusterResourceNamespace}
	defer func() {
		if err != nil {
			_ = c.Stop()
		}
	}()
	if c.env, err = testenv.Start(); err != nil {
		return nil, err
	}
	c.Config, c.Client = c.env.Config, c.env.Client
	if err := c.startFakes(); err != nil {
		return nil, err
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: opts.ClusterResourceNamespace}}
	if err := c.Client.Create(ctx, ns); err != nil {
		return nil, fmt.Errorf("creating namespace %s: %w", ns.Name, err)
	}
	if c.Kubeconfig, err = c.writeAdminKubeconfig(); err != nil {
		return nil, err
	}
	cmKubeconfig, stopProxy, err := c.certManagerKubeconfig()
	if err != nil {
		return nil, err
	}
	stopCM, err := startCertManager(ctx, cmKubeconfig, opts.ClusterResourceNamespace, !opts.WithoutApprover)
	if err != nil {
		stopProxy()
		return nil, err
	}
	c.stopCM = func() { stopCM(); stopProxy() }
	certorderCfg, err := c.certorderUser(ctx)
	if err != nil {
		return nil, err
	}
	c.certorder = &runner{ctx: ctx, cfg: certorderCfg, opts: opts}
	if opts.WithoutCertorder {
		return c, nil
	}
	if err := c.certorder.start(); err != nil {
		return nil, err
	}
	return c, nil
}

// StopCertorder stops certorder's manager, as a crash or a rollout would,
// and waits until it has stopped. cert-manager keeps running.
func (c *Cluster) StopCertorder() { c.certorder.stop() }

// StartCertorder starts a new certorder manager, after StopCertorder or
// with Options.WithoutCertorder.
func (c *Cluster) StartCertorder() error { return c.certorder.start() }

// Stop stops everything Start started. It is safe to call more than once.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() {
		if c.certorder != nil {
			c.certorder.stop()
		}
		if c.stopCM != nil {
			c.stopCM()
		}
		if c.DigiCert != nil {
			c.DigiCert.Close()
		}
		if c.Openprovider != nil {
			c.Openprovider.Close()
		}
		var errs []error
		if c.env != nil {
			errs = append(errs, c.env.Stop())
		}
		if c.tmpDir != "" {
			errs = append(errs, os.RemoveAll(c.tmpDir))
		}
		c.stopErr = errors.Join(errs...)
	})
	return c.stopErr
}
