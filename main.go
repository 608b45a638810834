// Command certorder is a cert-manager external issuer for DigiCert
// CertCentral and Openprovider SSL.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"golang.org/x/time/rate"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/certorder/certorder/internal/app"
	"github.com/certorder/certorder/internal/metrics"
	"github.com/certorder/certorder/internal/metricsauth"
	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/digicert"
	"github.com/certorder/certorder/internal/provider/openprovider"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "certorder:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		metricsAddr, probeAddr string
		pprofAddr              string
		leaderElect, showVer   bool
		metricsSecure          bool
		opts                   app.Options
		dcRate, opRate         float64
		dcBurst, opBurst       int
		allowedHosts           string
		kubeQPS                float64
		kubeBurst              int
		lease, renew, retry    time.Duration
	)
	flag.StringVar(&metricsAddr, "metrics-bind-address", ":8080", "Address the Prometheus metrics endpoint binds to; 0 disables it.")
	flag.StringVar(&probeAddr, "health-probe-bind-address", ":8081", "Address the /healthz and /readyz probes bind to.")
	flag.StringVar(&pprofAddr, "pprof-bind-address", "0", "Address the Go runtime's pprof endpoints (/debug/pprof/) bind to, for profiling; 0 disables them. They are unauthenticated: bind them to localhost or keep them off.")
	flag.BoolVar(&leaderElect, "leader-elect", true, "Elect a leader so that only one replica reconciles.")
	flag.StringVar(&opts.ClusterResourceNamespace, "cluster-resource-namespace", "", "Namespace of the Secrets of cluster-scoped issuers (default: the controller's own namespace).")
	flag.DurationVar(&opts.IssuerRecheckInterval, "issuer-recheck-interval", 10*time.Minute, "How often a Ready issuer's credentials are checked again.")
	flag.DurationVar(&opts.CATimeout, "ca-timeout", 30*time.Second, "Timeout of one call to a CA.")
	flag.IntVar(&opts.MaxConcurrentReconciles, "max-concurrent-reconciles", 5, "CertificateRequests reconciled at once.")
	flag.Float64Var(&dcRate, "digicert-rate-limit", float64(digicert.DefaultRate), "Calls per second to DigiCert per API key, shared by every issuer that uses the key.")
	flag.IntVar(&dcBurst, "digicert-burst", digicert.DefaultBurst, "Calls a DigiCert API key may make at once before --digicert-rate-limit applies.")
	flag.Float64Var(&opRate, "openprovider-rate-limit", float64(openprovider.DefaultRate), "Calls per second to Openprovider per account.")
	flag.IntVar(&opBurst, "openprovider-burst", openprovider.DefaultBurst, "Calls an Openprovider account may make at once before --openprovider-rate-limit applies.")
	flag.StringVar(&allowedHosts, "namespaced-issuer-allowed-hosts", "", "Comma-separated hosts that namespaced issuers may use as url or proxyURL, besides their CA's official API hosts. Cluster issuers are not limited.")
	flag.BoolVar(&metricsSecure, "metrics-secure", false, "Serve metrics over HTTPS, only to callers whose token the API server authenticates and who may get the /metrics non-resource URL (needs create on tokenreviews and subjectaccessreviews).")
	flag.BoolVar(&opts.WatchSecrets, "watch-secrets", false, "Watch the metadata of Secrets, so a fixed issuer Secret is picked up at once rather than at the next check (10s to 5m backoff). Needs list and watch on Secrets.")
	flag.Float64Var(&kubeQPS, "kube-api-qps", 0, "Requests per second to the Kubernetes API server; 0 keeps controller-runtime's default, no client-side limit (the API server's priority and fairness decide).")
	flag.IntVar(&kubeBurst, "kube-api-burst", 0, "Burst of requests to the Kubernetes API server; 0 keeps controller-runtime's default.")
	flag.DurationVar(&lease, "leader-election-lease-duration", 15*time.Second, "How long standby replicas wait before taking over a leader's Lease.")
	flag.DurationVar(&renew, "leader-election-renew-deadline", 10*time.Second, "How long the leader retries renewing its Lease before giving it up.")
	flag.DurationVar(&retry, "leader-election-retry-period", 2*time.Second, "How often leader election is retried.")
	flag.Func("dns01-recursive-nameservers", "Comma-separated host:port resolvers that hands-free DNS validation uses to find a record's zone and its authoritative nameservers (default: the system's).", func(v string) error {
		opts.DCV.Nameservers = strings.Split(v, ",")
		return nil
	})
	flag.StringVar(&opts.DCV.Helper, "dns01-helper", "", "Path of the certorder-dns01 helper that runs the cloud DNS01 providers of hands-free DNS validation (default: certorder-dns01 next to this binary).")
	flag.BoolVar(&showVer, "version", false, "Print the version and exit.")
	zapOpts := zap.Options{}
	zapOpts.BindFlags(flag.CommandLine)
	flag.Parse()

	if showVer {
		fmt.Println("certorder", version)
		return nil
	}
	if dcRate <= 0 || opRate <= 0 || dcBurst < 1 || opBurst < 1 {
		return fmt.Errorf("rate limits must be above 0 and bursts at least 1")
	}
	hosts, err := app.ParseAllowedHosts(allowedHosts)
	if err != nil {
		return fmt.Errorf("--namespaced-issuer-allowed-hosts: %w", err)
	}
	opts.NamespacedIssuerAllowedHosts = hosts
	opts.DigiCertLimits = provider.NewLimiters(rate.Limit(dcRate), dcBurst)
	opts.OpenproviderLimits = provider.NewLimiters(rate.Limit(opRate), opBurst)
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&zapOpts)))
	log := ctrl.Log.WithName("setup")

	ownNamespace, nsErr := app.OwnNamespace()
	if opts.ClusterResourceNamespace == "" {
		if nsErr != nil {
			return fmt.Errorf("--cluster-resource-namespace is not set and the controller's namespace is unknown: %w", nsErr)
		}
		opts.ClusterResourceNamespace = ownNamespace
	}
	if leaderElect && nsErr != nil {
		return fmt.Errorf("--leader-elect needs the controller's namespace for its Lease; set POD_NAMESPACE, or --leader-elect=false: %w", nsErr)
	}

	cfg, err := ctrl.GetConfig()
	if err != nil {
		return fmt.Errorf("loading the kubeconfig: %w", err)
	}
	if kubeQPS > 0 {
		cfg.QPS = float32(kubeQPS)
	}
	if kubeBurst > 0 {
		cfg.Burst = kubeBurst
	}
	ctx := ctrl.SetupSignalHandler()
	mgrOpts := app.ManagerOptions()
	requests, err := app.ConfigureRequestCache(ctx, cfg, &mgrOpts)
	if err != nil {
		return err
	}
	log.Info("caching CertificateRequests", "which", requests.String())
	mgrOpts.LeaseDuration, mgrOpts.RenewDeadline, mgrOpts.RetryPeriod = &lease, &renew, &retry
	mgrOpts.Metrics = metricsserver.Options{BindAddress: metricsAddr}
	if metricsSecure {
		// A self-signed certificate, and authentication and authorization
		// delegated to the API server (TokenReview, SubjectAccessReview).
		mgrOpts.Metrics.SecureServing = true
		mgrOpts.Metrics.FilterProvider = metricsauth.FilterProvider
	}
	mgrOpts.HealthProbeBindAddress = probeAddr
	mgrOpts.PprofBindAddress = pprofAddr
	mgrOpts.LeaderElection = leaderElect
	mgrOpts.LeaderElectionID = "certorder.dev"
	mgrOpts.LeaderElectionNamespace = ownNamespace
	mgrOpts.LeaderElectionReleaseOnCancel = true
	mgr, err := ctrl.NewManager(cfg, mgrOpts)
	if err != nil {
		return fmt.Errorf("creating the manager: %w", err)
	}
	if err := app.AddToManager(mgr, opts); err != nil {
		return err
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return fmt.Errorf("adding the health check: %w", err)
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return fmt.Errorf("adding the readiness check: %w", err)
	}
	metrics.SetBuildInfo(version)
	log.Info("starting certorder", "version", version, "clusterResourceNamespace", opts.ClusterResourceNamespace)
	return mgr.Start(ctx)
}
