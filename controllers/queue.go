package controllers

import (
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/controller"
)

// controllerOptions are the options of every certorder controller.
//
// controller-runtime v0.24's default priority queue can deadlock on
// shutdown: a worker that leaves Get because the queue shut down stays
// counted as a waiter, so the queue blocks handing it an item while holding
// the lock the other workers need to finish. SIGTERM then waits out the
// whole grace period and in-flight reconciles lose it
// (kubernetes-sigs/controller-runtime#3538, fixed by #3540 after v0.24.1).
// The classic rate-limited queue has no such hang.
func controllerOptions(maxConcurrent int) controller.Options {
	return controller.Options{MaxConcurrentReconciles: maxConcurrent, UsePriorityQueue: ptr.To(false)}
}
