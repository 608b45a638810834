package app

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	crmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/certorder/certorder/controllers"
	"github.com/certorder/certorder/internal/dcv"
	"github.com/certorder/certorder/internal/eventrec"
	"github.com/certorder/certorder/internal/metrics"
	"github.com/certorder/certorder/internal/metrics/clusterstate"
	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/digicert"
	"github.com/certorder/certorder/internal/provider/openprovider"
)

// Options are the settings of the certorder controllers.
type Options struct {
	// ClusterResourceNamespace holds the Secrets of cluster-scoped issuers.
	ClusterResourceNamespace string
	// IssuerRecheckInterval is how often a Ready issuer is checked again.
	IssuerRecheckInterval time.Duration
	// CATimeout bounds one call to a CA.
	CATimeout time.Duration
	// MaxConcurrentReconciles of CertificateRequests.
	MaxConcurrentReconciles int
	// Clock is the controllers' clock; the real one when nil.
	Clock clock.PassiveClock
	// DigiCertLimits and OpenproviderLimits replace the per-credential rate
	// limits of each CA (defaults: within each CA's documented limits).
	DigiCertLimits, OpenproviderLimits *provider.Limiters
	// NamespacedIssuerAllowedHosts are the hosts a namespaced issuer's url
	// or proxyURL may name besides its CA's official API hosts.
	NamespacedIssuerAllowedHosts []string
	// WatchSecrets checks an issuer as soon as one of its Secrets changes.
	// It needs list and watch on Secrets; without it the controller only
	// gets them, and a not-Ready issuer is checked again with a backoff.
	WatchSecrets bool
	// DCV tunes hands-free DNS validation: the resolvers that find a
	// record's zone, and how often a CA is asked to check.
	DCV controllers.DCVOptions
}

// AddToManager registers every certorder controller with mgr.
func AddToManager(mgr ctrl.Manager, opts Options) error {
	if opts.ClusterResourceNamespace == "" {
		return errors.New("the cluster resource namespace is required")
	}
	if opts.Clock == nil {
		opts.Clock = clock.RealClock{}
	}
	if opts.CATimeout <= 0 {
		opts.CATimeout = 30 * time.Second
	}
	if opts.IssuerRecheckInterval <= 0 {
		opts.IssuerRecheckInterval = 10 * time.Minute
	}
	if opts.MaxConcurrentReconciles < 1 {
		opts.MaxConcurrentReconciles = 1
	}
	if err := metrics.Register(crmetrics.Registry); err != nil {
		return err
	}
	shared := sharedLists{mgr.GetCache()}
	metrics.SetInventorySource(clusterstate.Source(shared, opts.Clock.Now), opts.Clock.Now)
	if err := dcv.Register(crmetrics.Registry); err != nil {
		return err
	}
	dcOpts := []digicert.FactoryOption{digicert.WithTimeout(opts.CATimeout)}
	if opts.DigiCertLimits != nil {
		dcOpts = append(dcOpts, digicert.WithLimiters(opts.DigiCertLimits))
	}
	opOpts := []openprovider.FactoryOption{openprovider.WithHTTPTimeout(opts.CATimeout)}
	if opts.OpenproviderLimits != nil {
		opOpts = append(opOpts, openprovider.WithLimiters(opts.OpenproviderLimits))
	}
	registry := kinds(digicert.NewFactory(dcOpts...), openprovider.NewFactory(opOpts...), opts.NamespacedIssuerAllowedHosts)
	if err := eventrec.Register(crmetrics.Registry); err != nil {
		return err
	}
	recorder := eventrec.New(mgr.GetClient(), mgr.GetScheme(), eventrec.Options{Controller: "certorder", Log: mgr.GetLogger().WithName("events")})
	if err := mgr.Add(recorder); err != nil {
		return fmt.Errorf("adding the Event recorder: %w", err)
	}
	for _, k := range registry {
		r := &controllers.IssuerReconciler{
			Kind: k, Client: mgr.GetClient(), SecretReader: mgr.GetAPIReader(),
			ClusterResourceNamespace: opts.ClusterResourceNamespace, RecheckInterval: opts.IssuerRecheckInterval,
			WatchSecrets: opts.WatchSecrets, Recorder: recorder, Clock: opts.Clock,
		}
		if err := r.SetupWithManager(mgr); err != nil {
			return fmt.Errorf("setting up the %s controller: %w", k.Name, err)
		}
	}
	r := &controllers.RequestReconciler{
		Client: mgr.GetClient(), APIReader: mgr.GetAPIReader(), Kinds: registry,
		ClusterResourceNamespace: opts.ClusterResourceNamespace, Recorder: recorder, Clock: opts.Clock,
		// A submission waits for the limiter and then for one CA call.
		SubmitTimeout: 2 * opts.CATimeout,
		Admit:         controllers.PolicyAdmit(shared, mgr.GetAPIReader(), opts.Clock),
		DCV:           opts.DCV,
	}
	if err := r.SetupWithManager(mgr, opts.MaxConcurrentReconciles); err != nil {
		return fmt.Errorf("setting up the CertificateRequest controller: %w", err)
	}
	return mgr.Add(&controllers.PendingGauge{Client: shared, Kinds: registry, Interval: 30 * time.Second, Clock: opts.Clock})
}

// serviceAccountNamespace is where Kubernetes mounts the pod's namespace.
const serviceAccountNamespace = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"

// OwnNamespace returns the namespace the controller runs in, from
// POD_NAMESPACE or the mounted service account.
func OwnNamespace() (string, error) {
	if ns := os.Getenv("POD_NAMESPACE"); ns != "" {
		return ns, nil
	}
	b, err := os.ReadFile(serviceAccountNamespace)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", serviceAccountNamespace, err)
	}
	return strings.TrimSpace(string(b)), nil
}
