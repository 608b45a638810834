package localcluster

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/config"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/certorder/certorder/internal/app"
)

// runner runs certorder's manager, wired by internal/app as main.go wires
// it, and can stop and start it again.
type runner struct {
	ctx  context.Context
	cfg  *rest.Config
	opts Options

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

func (r *runner) start() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cancel != nil {
		return errors.New("certorder is already running")
	}
	metricsAddr := r.opts.MetricsAddr
	if metricsAddr == "" {
		metricsAddr = "0"
	}
	mgrOpts := app.ManagerOptions()
	mgrOpts.Metrics = metricsserver.Options{BindAddress: metricsAddr}
	mgrOpts.HealthProbeBindAddress = "0"
	// A restarted manager registers the same controller names again.
	mgrOpts.Controller = config.Controller{SkipNameValidation: ptr.To(true)}
	mgr, err := ctrl.NewManager(r.cfg, mgrOpts)
	if err != nil {
		return fmt.Errorf("creating certorder's manager: %w", err)
	}
	if err := app.AddToManager(mgr, app.Options{
		ClusterResourceNamespace: r.opts.ClusterResourceNamespace,
		IssuerRecheckInterval:    10 * time.Minute,
		CATimeout:                r.opts.CATimeout,
		MaxConcurrentReconciles:  5,
		DigiCertLimits:           r.opts.DigiCertLimits,
	}); err != nil {
		return fmt.Errorf("wiring certorder: %w", err)
	}
	ctx, cancel := context.WithCancel(r.ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := mgr.Start(ctx); err != nil {
			logger.Error(err, "certorder's manager stopped")
		}
	}()
	// Stopping a manager whose runnables are still starting can hang its
	// shutdown for the whole grace period (controller-runtime v0.24's
	// runnableGroup.Start; kubernetes-sigs/controller-runtime#3440), so
	// start returns only once they have.
	select {
	case <-mgr.Elected():
		r.cancel, r.done = cancel, done
		return nil
	case <-done:
		cancel()
		return errors.New("certorder's manager stopped while starting; see its log")
	case <-time.After(time.Minute):
		cancel()
		<-done
		return errors.New("certorder's manager did not start within a minute")
	}
}

// stop cancels the running manager, if any, and waits for it.
func (r *runner) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cancel == nil {
		return
	}
	r.cancel()
	<-r.done
	r.cancel, r.done = nil, nil
}
