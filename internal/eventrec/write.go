package eventrec

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"time"

	eventsv1 "k8s.io/api/events/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// maxRetryDelay caps the wait between two tries, client-go's 10 s.
const maxRetryDelay = 10 * time.Second

// Start writes queued Events until ctx ends, then writes what is still
// queued and the unwritten series counts, for at most DrainTimeout.
func (r *Recorder) Start(ctx context.Context) error {
	// API calls outlive ctx by DrainTimeout, so that a stop does not lose
	// the Events being written.
	calls, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	var wg sync.WaitGroup
	for range r.opts.Workers {
		wg.Go(func() { r.work(ctx, calls) })
	}
	wg.Go(func() { r.flushEvery(ctx, calls) })
	<-ctx.Done()
	deadline := time.AfterFunc(r.opts.DrainTimeout, cancel)
	defer deadline.Stop()
	wg.Wait()
	r.drain(calls)
	return nil
}

// NeedLeaderElection is false: Events are written by every replica that
// records them.
func (r *Recorder) NeedLeaderElection() bool { return false }

// work writes queued Events with calls until ctx ends.
func (r *Recorder) work(ctx, calls context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-r.queue:
			r.record(calls, ev)
		}
	}
}

// flushEvery writes the due series counts with calls until ctx ends.
func (r *Recorder) flushEvery(ctx, calls context.Context) {
	t := r.opts.Clock.NewTicker(r.opts.PatchInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C():
			r.patch(calls, r.recent.due(r.opts.Clock.Now(), r.opts.Window, r.opts.PatchInterval))
		}
	}
}

// drain writes the queued Events until ctx ends, then ends every series.
func (r *Recorder) drain(ctx context.Context) {
	for ctx.Err() == nil {
		select {
		case ev := <-r.queue:
			r.record(ctx, ev)
		default:
			r.patch(ctx, r.recent.due(r.opts.Clock.Now().Add(r.opts.Window), r.opts.Window, r.opts.PatchInterval))
			return
		}
	}
}

// record writes one occurrence of ev: a new Event, or a repeat counted
// into its series.
func (r *Recorder) record(ctx context.Context, ev *eventsv1.Event) {
	create, jobs := r.recent.observe(ev, r.opts.Clock.Now(), r.opts.Window, r.opts.PatchInterval)
	r.patch(ctx, jobs)
	if create && !r.create(ctx, ev) {
		r.recent.forget(keyOf(ev), ev.Name)
	}
}

// create creates ev, trying again after a transient fault at most Tries
// times; it reports whether ev exists.
func (r *Recorder) create(ctx context.Context, ev *eventsv1.Event) bool {
	delay := r.opts.RetryDelay
	for try := 1; ; try++ {
		err := r.call(ctx, func(ctx context.Context) error { return r.w.Create(ctx, ev) })
		switch {
		case err == nil || apierrors.IsAlreadyExists(err):
			// Already there: an earlier try was created but its answer lost.
			return true
		case !retryable(err):
			dropped.WithLabelValues(causeRejected).Inc()
			r.opts.Log.Error(err, "the API server refused an Event, dropping it", "regarding", regardingRef(ev), "reason", ev.Reason)
			return false
		case try >= r.opts.Tries:
			dropped.WithLabelValues(causeGaveUp).Inc()
			r.opts.Log.Error(err, "could not write an Event, dropping it", "regarding", regardingRef(ev), "reason", ev.Reason, "tries", try)
			return false
		}
		select {
		case <-ctx.Done():
			dropped.WithLabelValues(causeGaveUp).Inc()
			r.opts.Log.V(1).Info("stopping, dropping an Event", "regarding", regardingRef(ev), "reason", ev.Reason)
			return false
		case <-r.opts.Clock.After(delay):
		}
		delay = min(2*delay, maxRetryDelay)
	}
}

// patch writes series counts, one try each: a count that fails is
// written by the series' next due patch, if any. A series whose Event is
// gone (deleted, or expired by the API server's Event TTL) is forgotten,
// so that its next occurrence creates an Event again.
func (r *Recorder) patch(ctx context.Context, jobs []patchJob) {
	for _, j := range jobs {
		data, err := json.Marshal(map[string]eventsv1.EventSeries{
			"series": {Count: j.count, LastObservedTime: metav1.NewMicroTime(j.last)},
		})
		if err == nil {
			ev := &eventsv1.Event{ObjectMeta: metav1.ObjectMeta{Namespace: j.namespace, Name: j.name}}
			err = r.call(ctx, func(ctx context.Context) error {
				return r.w.Patch(ctx, ev, client.RawPatch(types.MergePatchType, data))
			})
		}
		if apierrors.IsNotFound(err) {
			r.recent.forget(j.key, j.name)
		}
		if err != nil {
			r.opts.Log.V(1).Info("could not update an Event's series", "event", j.namespace+"/"+j.name, "count", j.count, "error", err.Error())
		}
	}
}

// call runs f with at most CallTimeout.
func (r *Recorder) call(ctx context.Context, f func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, r.opts.CallTimeout)
	defer cancel()
	return f(ctx)
}

// retryable is false for a 4xx answer other than 409 and 429: the same
// Event would be refused again.
func retryable(err error) bool {
	var status apierrors.APIStatus
	if !errors.As(err, &status) {
		return true
	}
	code := int(status.Status().Code)
	return code < 400 || code >= 500 || code == http.StatusConflict || code == http.StatusTooManyRequests
}
