package controllers_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"go.uber.org/zap/zapcore"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/certorder/certorder/internal/app"
	"github.com/certorder/certorder/internal/provider"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
	opfake "github.com/certorder/certorder/internal/provider/openprovider/fake"
	"github.com/certorder/certorder/internal/testenv"
	tu "github.com/certorder/certorder/internal/testutil"
)

// The suite runs certorder's real wiring (internal/app) against a real
// kube-apiserver and the fake CAs over HTTP.

const (
	clusterResourceNamespace = "certorder-system"
	dcKey                    = "good-dc-key"
	opUser, opPassword       = "certorder", "s3cret-password"
)

var (
	env          *testenv.Env
	k8s          client.Client
	dc           *dcfake.Server
	dcURL, opURL string
	op           *opfake.Server
)

func TestMain(m *testing.M) {
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	// Every verbosity certorder and controller-runtime use, up to V(7).
	// client-go dumps whole response bodies at V(8), a Secret's data
	// included, as a hex dump whose line breaks fall wherever the object's
	// bytes put them: the secrets check would pass or fail by alignment.
	log.SetLogger(zap.New(zap.WriteTo(logSink()), zap.Level(zapcore.Level(-7))))
	var err error
	if env, err = testenv.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = env.Stop() }()
	k8s = env.Client
	if dc, err = dcfake.New(dcfake.Options{APIKeys: []string{dcKey}}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer dc.Close()
	dcURL = dc.Start()
	if op, err = opfake.New(opfake.Options{Users: map[string]string{opUser: opPassword}}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer op.Close()
	opURL = op.Start()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: clusterResourceNamespace}}
	if err := k8s.Create(context.Background(), ns); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

// logs captures everything the controllers log, at every verbosity, so
// tests can assert what never appears in it.
var logs = &syncBuffer{}

// logSink is logs, and stderr too when CERTORDER_TEST_VERBOSE is set.
func logSink() io.Writer {
	if os.Getenv("CERTORDER_TEST_VERBOSE") != "" {
		return io.MultiWriter(logs, os.Stderr)
	}
	return logs
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startManager runs certorder's controllers until the test ends, or until
// the returned stop is called.
func startManager(t *testing.T, mut ...func(*app.Options)) (stop func()) {
	t.Helper()
	return startManagerWithMetrics(t, "0", mut...)
}

// startManagerWithMetrics is startManager serving metrics on addr.
func startManagerWithMetrics(t *testing.T, addr string, mut ...func(*app.Options)) (stop func()) {
	t.Helper()
	return startManagerOn(t, addr, nil, mut...)
}

// startManagerOn is startManager serving metrics on addr, its calls to the
// API server passing through wrap when it is set.
func startManagerOn(t *testing.T, addr string, wrap func(http.RoundTripper) http.RoundTripper, mut ...func(*app.Options)) (stop func()) {
	t.Helper()
	opts := app.ManagerOptions()
	opts.Metrics = metricsserver.Options{BindAddress: addr}
	opts.Controller = config.Controller{SkipNameValidation: ptr.To(true)}
	cfg := rest.CopyConfig(env.Config)
	if wrap != nil {
		cfg.WrapTransport = wrap
	}
	// The cache main.go picks: only certorder's requests, on this API server.
	if which, err := app.ConfigureRequestCache(context.Background(), cfg, &opts); err != nil || which != app.OwnRequests {
		t.Fatalf("request cache %v, %v; want only certorder's requests", which, err)
	}
	mgr, err := ctrl.NewManager(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	appOpts := app.Options{
		ClusterResourceNamespace: clusterResourceNamespace, IssuerRecheckInterval: 10 * time.Minute,
		CATimeout: 2 * time.Second, MaxConcurrentReconciles: 4,
		// The CAs' real limits would make the suite slow; the provider
		// tests prove the limiters.
		DigiCertLimits: provider.NewLimiters(500, 100), OpenproviderLimits: provider.NewLimiters(500, 100),
	}
	for _, m := range mut {
		m(&appOpts)
	}
	if err := app.AddToManager(mgr, appOpts); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	running, startErr := app.StartManager(ctx, mgr, time.Minute)
	stop = func() {
		cancel()
		select {
		case <-running.Done():
		case <-time.After(20 * time.Second):
			t.Logf("certorder's manager is still stopping after 20s; its goroutines:\n%s", managerStacks())
		}
		if err := running.Wait(); err != nil {
			t.Errorf("manager: %v", err)
		}
	}
	t.Cleanup(stop)
	if startErr != nil {
		t.Fatal(startErr)
	}
	return stop
}

// eventually retries check for up to 30s.
func eventually(t *testing.T, what string, check func() error) {
	t.Helper()
	tu.Eventually(t, 30*time.Second, what, check)
}

func newNamespace(t *testing.T) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "t-"}}
	if err := k8s.Create(context.Background(), ns); err != nil {
		t.Fatal(err)
	}
	return ns.Name
}

func createSecret(t *testing.T, ns, name string, data map[string]string) {
	t.Helper()
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, StringData: data}
	if err := k8s.Create(context.Background(), s); err != nil {
		t.Fatal(err)
	}
}

func create(t *testing.T, obj client.Object) {
	t.Helper()
	if err := k8s.Create(context.Background(), obj); err != nil {
		t.Fatal(err)
	}
}

// createApproved creates a request and approves it, as cert-manager's
// approver would.
func createApproved(t *testing.T, cr *cmapi.CertificateRequest) {
	t.Helper()
	create(t, cr)
	setCondition(t, cr, cmapi.CertificateRequestConditionApproved, "cert-manager.io")
}

func setCondition(t *testing.T, cr *cmapi.CertificateRequest, typ cmapi.CertificateRequestConditionType, reason string) {
	t.Helper()
	eventually(t, "setting "+string(typ), func() error {
		cur := &cmapi.CertificateRequest{}
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(cr), cur); err != nil {
			return err
		}
		cur.Status.Conditions = append(cur.Status.Conditions, tu.Condition(typ, reason))
		return k8s.Status().Update(context.Background(), cur)
	})
}

// managerStacks are the stacks of the goroutines in controller-runtime or
// certorder code, to tell what a slow shutdown waits for.
func managerStacks() string {
	var all strings.Builder
	_ = pprof.Lookup("goroutine").WriteTo(&all, 2)
	var out strings.Builder
	for g := range strings.SplitSeq(all.String(), "\n\n") {
		if strings.Contains(g, "controller-runtime") || strings.Contains(g, "certorder/") {
			out.WriteString(g + "\n\n")
		}
	}
	return out.String()
}
