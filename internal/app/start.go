package app

import (
	"context"
	"fmt"
	"time"

	ctrl "sigs.k8s.io/controller-runtime"
)

// Running is a manager started by StartManager.
type Running struct {
	done chan struct{}
	err  error
}

// Done is closed once the manager has stopped.
func (r *Running) Done() <-chan struct{} { return r.done }

// Wait waits for the manager to stop and returns what its Start returned.
func (r *Running) Wait() error {
	<-r.done
	return r.err
}

// StartManager runs mgr until ctx ends and returns once its runnables have
// started, or within has passed; on an error the caller cancels ctx.
// Stopping a manager whose runnables are still starting can hang its
// shutdown for the whole grace period (controller-runtime v0.24's
// runnableGroup.Start; kubernetes-sigs/controller-runtime#3440), so callers
// that may stop it soon, such as tests and the local cluster, wait for
// this. main.go runs the manager in the foreground instead.
func StartManager(ctx context.Context, mgr ctrl.Manager, within time.Duration) (*Running, error) {
	r := &Running{done: make(chan struct{})}
	go func() {
		defer close(r.done)
		r.err = mgr.Start(ctx)
	}()
	select {
	case <-mgr.Elected():
		return r, nil
	case <-r.done:
		return r, fmt.Errorf("the manager stopped while starting: %v", r.err)
	case <-time.After(within):
		return r, fmt.Errorf("the manager did not start within %s", within)
	}
}
