package eventrec

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
)

// bound is how long a test waits for what must happen at once; it only
// catches a hang.
const bound = 30 * time.Second

// TestEventfDoesNotBlock: with the API hanging, Eventf returns at once,
// drops what the queue cannot hold, and Start returns once stopped.
func TestEventfDoesNotBlock(t *testing.T) {
	hang := interceptor.Funcs{Create: func(ctx context.Context, _ client.WithWatch, _ client.Object, _ ...client.CreateOption) error {
		<-ctx.Done()
		return ctx.Err()
	}}
	r, _, _ := newTest(t, Options{QueueSize: 2, Workers: 1, CallTimeout: time.Hour, DrainTimeout: time.Millisecond}, hang)
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan error)
	go func() { started <- r.Start(ctx) }()
	before := testutil.ToFloat64(dropped.WithLabelValues(causeQueueFull))
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 10 {
			r.Eventf(configMap("a"), nil, corev1.EventTypeNormal, "Issued", "Reconcile", "%d", i)
		}
	}()
	select {
	case <-done:
	case <-time.After(bound):
		t.Fatal("Eventf blocked while the API hangs")
	}
	if got := testutil.ToFloat64(dropped.WithLabelValues(causeQueueFull)) - before; got < 7 {
		t.Errorf("%v dropped of 10 with a queue of 2 and one hung worker, want at least 7", got)
	}
	cancel()
	select {
	case err := <-started:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(bound):
		t.Fatal("Start did not return once stopped")
	}
}

// TestStartDrains: Events queued before a stop are written, and a series'
// unwritten count with them.
func TestStartDrains(t *testing.T) {
	r, api, _ := newTest(t, Options{}, interceptor.Funcs{})
	for _, name := range []string{"a", "a", "b"} {
		r.Eventf(configMap(name), nil, corev1.EventTypeNormal, "Issued", "Reconcile", "x")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int32{}
	for _, ev := range listEvents(t, api) {
		counts[ev.Regarding.Name]++
		if ev.Series != nil {
			counts[ev.Regarding.Name] = ev.Series.Count
		}
	}
	if counts["a"] != 2 || counts["b"] != 1 {
		t.Errorf("occurrences written %v, want a:2 b:1", counts)
	}
}
