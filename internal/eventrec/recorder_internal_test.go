package eventrec

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus/testutil"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/utils/clock"
	testingclock "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
)

var t0 = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

// newTest returns a Recorder writing to a fake API, on a fake clock.
func newTest(t *testing.T, opts Options, funcs interceptor.Funcs) (*Recorder, client.Client, *testingclock.FakeClock) {
	t.Helper()
	api := fake.NewClientBuilder().WithScheme(clientgoscheme.Scheme).WithInterceptorFuncs(funcs).Build()
	clk := testingclock.NewFakeClock(t0)
	opts.Controller = "certorder"
	opts.Instance = "certorder-host"
	if opts.Clock == nil {
		opts.Clock = clk
	}
	opts.Log = logr.Discard()
	return New(api, clientgoscheme.Scheme, opts), api, clk
}

// recordNext writes the next queued Event as a worker would.
func recordNext(t *testing.T, r *Recorder) {
	t.Helper()
	select {
	case ev := <-r.queue:
		r.record(context.Background(), ev)
	default:
		t.Fatal("no Event queued")
	}
}

func listEvents(t *testing.T, api client.Client) []eventsv1.Event {
	t.Helper()
	var list eventsv1.EventList
	if err := api.List(context.Background(), &list); err != nil {
		t.Fatal(err)
	}
	return list.Items
}

func configMap(name string) *corev1.ConfigMap {
	return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name, UID: types.UID("uid-" + name)}}
}

func TestEventFields(t *testing.T) {
	long := "a" + strings.Repeat("é", 600) // 1201 bytes; a 2-byte rune straddles byte 1024
	for _, tc := range []struct {
		name      string
		regarding *corev1.ConfigMap
		related   *corev1.Secret
		typ, note string
		args      []any
		wantNote  string
		wantNS    string
		queued    bool
	}{
		{name: "formatted note", regarding: configMap("a"), typ: corev1.EventTypeNormal, note: "issued %s", args: []any{"order 7"}, wantNote: "issued order 7", wantNS: "ns", queued: true},
		{name: "related object", regarding: configMap("a"), related: &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "s"}}, typ: corev1.EventTypeWarning, note: "x", wantNote: "x", wantNS: "ns", queued: true},
		{name: "note truncated to 1 KB on a rune boundary", regarding: configMap("a"), typ: corev1.EventTypeNormal, note: "%s", args: []any{long}, wantNote: long[:1023], wantNS: "ns", queued: true},
		{name: "cluster-scoped object in default", regarding: &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "c"}}, typ: corev1.EventTypeNormal, note: "x", wantNote: "x", wantNS: "default", queued: true},
		{name: "unknown type not recorded", regarding: configMap("a"), typ: "Bad", note: "x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, api, _ := newTest(t, Options{}, interceptor.Funcs{})
			if tc.related != nil {
				r.Eventf(tc.regarding, tc.related, tc.typ, "Issued", "Reconcile", tc.note, tc.args...)
			} else {
				r.Eventf(tc.regarding, nil, tc.typ, "Issued", "Reconcile", tc.note, tc.args...)
			}
			if !tc.queued {
				if len(r.queue) != 0 {
					t.Fatalf("%d Events queued, want none", len(r.queue))
				}
				return
			}
			recordNext(t, r)
			evs := listEvents(t, api)
			if len(evs) != 1 {
				t.Fatalf("%d Events, want 1", len(evs))
			}
			ev := evs[0]
			if ev.Namespace != tc.wantNS || !strings.HasPrefix(ev.Name, tc.regarding.Name+".") {
				t.Errorf("Event %s/%s, want in %s named after %s", ev.Namespace, ev.Name, tc.wantNS, tc.regarding.Name)
			}
			if ev.Note != tc.wantNote {
				t.Errorf("note %d bytes %.20q, want %d bytes", len(ev.Note), ev.Note, len(tc.wantNote))
			}
			if ev.Type != tc.typ || ev.Reason != "Issued" || ev.Action != "Reconcile" || ev.ReportingController != "certorder" || ev.ReportingInstance != "certorder-host" {
				t.Errorf("Event %+v", ev)
			}
			if !ev.EventTime.Time.Equal(t0) || ev.Series != nil {
				t.Errorf("eventTime %v series %v, want %v and none", ev.EventTime, ev.Series, t0)
			}
			if ev.Regarding.Kind != "ConfigMap" || ev.Regarding.APIVersion != "v1" || ev.Regarding.Name != tc.regarding.Name || ev.Regarding.UID != tc.regarding.UID {
				t.Errorf("regarding %+v", ev.Regarding)
			}
			if (ev.Related != nil) != (tc.related != nil) || (ev.Related != nil && ev.Related.Kind != "Secret") {
				t.Errorf("related %+v", ev.Related)
			}
		})
	}
}

// TestSeries: a repeat within the window is counted into a series, its
// count patched at most every PatchInterval or when it ends; after the
// window, or with another note, a new Event is created.
func TestSeries(t *testing.T) {
	type step struct {
		after time.Duration // since the previous step
		note  string        // an occurrence; empty flushes due counts
	}
	for _, tc := range []struct {
		name       string
		steps      []step
		wantEvents int
		wantCounts []int32 // series counts of the Events, 0 for none
	}{
		{name: "once", steps: []step{{note: "a"}}, wantEvents: 1, wantCounts: []int32{0}},
		{name: "repeat not yet due", steps: []step{{note: "a"}, {after: time.Second, note: "a"}}, wantEvents: 1, wantCounts: []int32{0}},
		{name: "repeat written by the next flush", steps: []step{{note: "a"}, {after: time.Second, note: "a"}, {after: 30 * time.Second}}, wantEvents: 1, wantCounts: []int32{2}},
		{name: "repeat past the patch interval written at once", steps: []step{{note: "a"}, {after: time.Minute, note: "a"}, {after: time.Minute, note: "a"}}, wantEvents: 1, wantCounts: []int32{3}},
		{name: "another note is another Event", steps: []step{{note: "a"}, {after: time.Second, note: "b"}}, wantEvents: 2, wantCounts: []int32{0, 0}},
		{name: "after the window a new Event", steps: []step{{note: "a"}, {after: 7 * time.Minute, note: "a"}}, wantEvents: 2, wantCounts: []int32{0, 0}},
		{name: "an ended series writes its count", steps: []step{{note: "a"}, {after: time.Second, note: "a"}, {after: 7 * time.Minute, note: "a"}}, wantEvents: 2, wantCounts: []int32{2, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, api, clk := newTest(t, Options{}, interceptor.Funcs{})
			for _, s := range tc.steps {
				clk.Step(s.after)
				if s.note == "" {
					r.patch(context.Background(), r.recent.due(clk.Now(), r.opts.Window, r.opts.PatchInterval))
					continue
				}
				r.Eventf(configMap("a"), nil, corev1.EventTypeNormal, "Issued", "Reconcile", "%s", s.note)
				recordNext(t, r)
			}
			evs := listEvents(t, api)
			if len(evs) != tc.wantEvents {
				t.Fatalf("%d Events, want %d", len(evs), tc.wantEvents)
			}
			var counts []int32
			for _, ev := range evs {
				var n int32
				if ev.Series != nil {
					n = ev.Series.Count
				}
				counts = append(counts, n)
			}
			// The fake lists by name, which ends with the creation time.
			for i, want := range tc.wantCounts {
				if counts[i] != want {
					t.Errorf("series counts %v, want %v", counts, tc.wantCounts)
					break
				}
			}
		})
	}
}

// TestSeriesEventGone: a series whose Event the API server no longer has
// is forgotten, and its next occurrence creates a new Event.
func TestSeriesEventGone(t *testing.T) {
	r, api, clk := newTest(t, Options{}, interceptor.Funcs{})
	occur := func(after time.Duration) {
		clk.Step(after)
		r.Eventf(configMap("a"), nil, corev1.EventTypeNormal, "Issued", "Reconcile", "x")
		recordNext(t, r)
	}
	occur(0)
	first := listEvents(t, api)[0]
	if err := api.Delete(context.Background(), &first); err != nil {
		t.Fatal(err)
	}
	occur(time.Minute) // due: its patch finds no Event
	occur(time.Second)
	evs := listEvents(t, api)
	if len(evs) != 1 || evs[0].Name == first.Name || evs[0].Series != nil {
		t.Errorf("Events %v after the first was deleted, want one new one", evs)
	}
}

// TestRecentBound: N+1 distinct Events keep N entries, and an evicted
// series' unwritten count is written.
func TestRecentBound(t *testing.T) {
	const n = 3
	r, api, clk := newTest(t, Options{SeriesEntries: n}, interceptor.Funcs{})
	r.Eventf(configMap("a"), nil, corev1.EventTypeNormal, "Issued", "Reconcile", "x")
	recordNext(t, r)
	clk.Step(time.Second)
	r.Eventf(configMap("a"), nil, corev1.EventTypeNormal, "Issued", "Reconcile", "x")
	recordNext(t, r)
	for i := range n {
		clk.Step(time.Second)
		r.Eventf(configMap(string(rune('b'+i))), nil, corev1.EventTypeNormal, "Issued", "Reconcile", "x")
		recordNext(t, r)
	}
	if got := r.recent.len(); got != n {
		t.Errorf("%d entries after %d distinct Events, want %d", got, n+1, n)
	}
	var a eventsv1.Event
	for _, ev := range listEvents(t, api) {
		if ev.Regarding.Name == "a" {
			a = ev
		}
	}
	if a.Series == nil || a.Series.Count != 2 {
		t.Errorf("evicted series %+v, want count 2", a.Series)
	}
}

func TestQueueFull(t *testing.T) {
	r, _, _ := newTest(t, Options{QueueSize: 2}, interceptor.Funcs{})
	before := testutil.ToFloat64(dropped.WithLabelValues(causeQueueFull))
	for range 3 {
		r.Eventf(configMap("a"), nil, corev1.EventTypeNormal, "Issued", "Reconcile", "x")
	}
	if got := testutil.ToFloat64(dropped.WithLabelValues(causeQueueFull)) - before; got != 1 {
		t.Errorf("%v dropped, want 1", got)
	}
	if len(r.queue) != 2 {
		t.Errorf("%d queued, want 2", len(r.queue))
	}
}

// TestRetries: a transient fault is tried again at most Tries times; a
// refusal is not.
func TestRetries(t *testing.T) {
	unavailable := apierrors.NewServiceUnavailable("down")
	for _, tc := range []struct {
		name        string
		errs        []error // the answers to successive creates; nil after
		wantCalls   int
		wantCreated bool
		wantCause   string
	}{
		{name: "created at once", wantCalls: 1, wantCreated: true},
		{name: "429 then created", errs: []error{apierrors.NewTooManyRequests("slow", 1)}, wantCalls: 2, wantCreated: true},
		{name: "connection refused then created", errs: []error{errors.New("connection refused")}, wantCalls: 2, wantCreated: true},
		{name: "already exists: an earlier try landed", errs: []error{apierrors.NewAlreadyExists(schema.GroupResource{Resource: "events"}, "x")}, wantCalls: 1},
		{name: "refused", errs: []error{apierrors.NewBadRequest("bad")}, wantCalls: 1, wantCause: causeRejected},
		{name: "forbidden", errs: []error{apierrors.NewForbidden(schema.GroupResource{Resource: "events"}, "x", errors.New("rbac"))}, wantCalls: 1, wantCause: causeRejected},
		{name: "always unavailable", errs: []error{unavailable, unavailable, unavailable, unavailable}, wantCalls: 4, wantCause: causeGaveUp},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			funcs := interceptor.Funcs{Create: func(ctx context.Context, c client.WithWatch, obj client.Object, opts ...client.CreateOption) error {
				i := int(calls.Add(1)) - 1
				if i < len(tc.errs) {
					return tc.errs[i]
				}
				return c.Create(ctx, obj, opts...)
			}}
			r, api, _ := newTest(t, Options{Tries: 4, RetryDelay: time.Millisecond, Clock: clock.RealClock{}}, funcs)
			before := map[string]float64{}
			for _, c := range []string{causeRejected, causeGaveUp} {
				before[c] = testutil.ToFloat64(dropped.WithLabelValues(c))
			}
			r.Eventf(configMap("a"), nil, corev1.EventTypeNormal, "Issued", "Reconcile", "x")
			recordNext(t, r)
			if int(calls.Load()) != tc.wantCalls {
				t.Errorf("%d creates, want %d", calls.Load(), tc.wantCalls)
			}
			if got := len(listEvents(t, api)); (got == 1) != tc.wantCreated {
				t.Errorf("%d Events, want created %v", got, tc.wantCreated)
			}
			for c, b := range before {
				want := 0.0
				if c == tc.wantCause {
					want = 1
				}
				if got := testutil.ToFloat64(dropped.WithLabelValues(c)) - b; got != want {
					t.Errorf("%v dropped as %s, want %v", got, c, want)
				}
			}
			if tc.wantCause != "" && r.recent.len() != 0 {
				t.Errorf("a dropped Event is remembered: its repeat would not be created")
			}
		})
	}
}
