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

	mu      sync.Mutex
	cancel  context.CancelFunc
	running *app.Running
}

func (r *runner) start() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cancel != nil {
		return errors.New("certorder is already running")
	}
	mgrOpts := app.ManagerOptions()
	mgrOpts.Metrics = metricsserver.Options{BindAddress: "0"}
	mgrOpts.HealthProbeBindAddress = "0"
	// A restarted manager registers the same controller names again.
	mgrOpts.Controller = config.Controller{SkipNameValidation: ptr.To(true)}
	cfg := r.opts.Wrap.wrapped("certorder", r.cfg)
	if _, err := app.ConfigureRequestCache(r.ctx, cfg, &mgrOpts); err != nil {
		return fmt.Errorf("choosing certorder's request cache: %w", err)
	}
	mgr, err := ctrl.NewManager(cfg, mgrOpts)
	if err != nil {
		return fmt.Errorf("creating certorder's manager: %w", err)
	}
	if err := app.AddToManager(mgr, app.Options{
		ClusterResourceNamespace: r.opts.ClusterResourceNamespace,
		CATimeout:                r.opts.CATimeout,
		MaxConcurrentReconciles:  5,
		DigiCertLimits:           r.opts.DigiCertLimits,
		OpenproviderLimits:       r.opts.OpenproviderLimits,
		DCV:                      r.opts.DCV,
	}); err != nil {
		return fmt.Errorf("wiring certorder: %w", err)
	}
	ctx, cancel := context.WithCancel(r.ctx)
	running, err := app.StartManager(ctx, mgr, time.Minute)
	if err != nil {
		cancel()
		_ = running.Wait()
		return fmt.Errorf("certorder: %w", err)
	}
	r.cancel, r.running = cancel, running
	return nil
}

// stop cancels the running manager, if any, and waits for it.
func (r *runner) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cancel == nil {
		return
	}
	r.cancel()
	if err := r.running.Wait(); err != nil {
		logger.Error(err, "certorder's manager stopped")
	}
	r.cancel, r.running = nil, nil
}
