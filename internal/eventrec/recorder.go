// Package eventrec records events.k8s.io/v1 Events like client-go's
// events.EventRecorder, with bounded memory: a bounded queue between
// Eventf and the API, a bounded LRU of recent Events that folds repeats
// into a series, and bounded retries. client-go's recorder keeps a deep
// copy of every Event for 6 to 12 minutes, however many there are.
package eventrec

import (
	"context"
	"fmt"
	"os"
	"time"
	"unicode/utf8"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/events"
	"k8s.io/client-go/tools/record/util"
	"k8s.io/client-go/tools/reference"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// noteLimit is the API server's limit on an Event's note, 1 KB
// (events.k8s.io/v1 validation, NoteLengthLimit).
const noteLimit = 1024

// Writer is what the recorder needs of a Kubernetes client.
type Writer interface {
	Create(ctx context.Context, obj client.Object, opts ...client.CreateOption) error
	Patch(ctx context.Context, obj client.Object, patch client.Patch, opts ...client.PatchOption) error
}

// Options tune a Recorder; zero values take the defaults.
type Options struct {
	// Controller is the Events' reportingController.
	Controller string
	// Instance is their reportingInstance; Controller-hostname by default.
	Instance string
	// QueueSize bounds the Events waiting to be written (1000, as
	// client-go's broadcaster). Beyond it an Event is dropped and counted.
	QueueSize int
	// Workers write Events at once (4).
	Workers int
	// SeriesEntries bounds the recent Events remembered to fold repeats
	// (1024; a heap profile measured about 640 bytes each, list and map
	// included).
	SeriesEntries int
	// Window is how long after its last occurrence a repeat still joins a
	// series (6 minutes, as client-go).
	Window time.Duration
	// PatchInterval is how often at most a series' count is written (30 s).
	PatchInterval time.Duration
	// Tries bounds the attempts to create one Event (6).
	Tries int
	// RetryDelay is the first wait between tries (2 s), doubled each time
	// up to 10 s.
	RetryDelay time.Duration
	// CallTimeout bounds one API call (10 s).
	CallTimeout time.Duration
	// DrainTimeout bounds the writes made once the manager stops (5 s).
	DrainTimeout time.Duration
	// Clock is the real one when nil.
	Clock clock.WithTicker
	// Log is where dropped Events are told.
	Log logr.Logger
}

func (o *Options) defaults() {
	if o.Instance == "" {
		host, _ := os.Hostname()
		o.Instance = o.Controller + "-" + host
	}
	setDefault(&o.QueueSize, 1000)
	setDefault(&o.Workers, 4)
	setDefault(&o.SeriesEntries, 1024)
	setDefault(&o.Window, 6*time.Minute)
	setDefault(&o.PatchInterval, 30*time.Second)
	setDefault(&o.Tries, 6)
	setDefault(&o.RetryDelay, 2*time.Second)
	setDefault(&o.CallTimeout, 10*time.Second)
	setDefault(&o.DrainTimeout, 5*time.Second)
	if o.Clock == nil {
		o.Clock = clock.RealClock{}
	}
}

func setDefault[T int | time.Duration](v *T, d T) {
	if *v <= 0 {
		*v = d
	}
}

// Recorder is an events.EventRecorder and a manager.Runnable that writes
// the Events once started.
type Recorder struct {
	opts   Options
	scheme *runtime.Scheme
	w      Writer
	queue  chan *eventsv1.Event
	recent *recent
}

var _ events.EventRecorder = (*Recorder)(nil)

// New returns a Recorder that writes through w; scheme names the kinds of
// the objects Events regard.
func New(w Writer, scheme *runtime.Scheme, opts Options) *Recorder {
	opts.defaults()
	return &Recorder{
		opts: opts, scheme: scheme, w: w,
		queue:  make(chan *eventsv1.Event, opts.QueueSize),
		recent: newRecent(opts.SeriesEntries),
	}
}

// Eventf queues an Event about regarding; it never blocks. An invalid
// Event is logged and dropped, as client-go does.
func (r *Recorder) Eventf(regarding, related runtime.Object, eventtype, reason, action, note string, args ...any) {
	ev, err := r.makeEvent(regarding, related, eventtype, reason, action, fmt.Sprintf(note, args...))
	if err != nil {
		r.opts.Log.Error(err, "not recording an Event", "reason", reason)
		return
	}
	select {
	case r.queue <- ev:
	default:
		dropped.WithLabelValues(causeQueueFull).Inc()
		r.opts.Log.V(1).Info("Event queue full, dropping an Event", "regarding", regardingRef(ev), "reason", reason)
	}
}

// makeEvent builds the Event as client-go's recorder does.
func (r *Recorder) makeEvent(regarding, related runtime.Object, eventtype, reason, action, note string) (*eventsv1.Event, error) {
	if !util.ValidateEventType(eventtype) {
		return nil, fmt.Errorf("unsupported Event type %q", eventtype)
	}
	if reason == "" || action == "" {
		return nil, fmt.Errorf("an Event needs a reason and an action (%q, %q)", reason, action)
	}
	ref, err := reference.GetReference(r.scheme, regarding)
	if err != nil {
		return nil, fmt.Errorf("referring to the Event's object: %w", err)
	}
	var relRef *corev1.ObjectReference
	if related != nil {
		if relRef, err = reference.GetReference(r.scheme, related); err != nil {
			r.opts.Log.V(1).Info("Event without its related object", "error", err.Error())
		}
	}
	now := r.opts.Clock.Now()
	namespace := ref.Namespace
	if namespace == "" {
		namespace = metav1.NamespaceDefault
	}
	return &eventsv1.Event{
		ObjectMeta:          metav1.ObjectMeta{Name: util.GenerateEventName(ref.Name, now.UnixNano()), Namespace: namespace},
		EventTime:           metav1.NewMicroTime(now),
		ReportingController: r.opts.Controller,
		ReportingInstance:   r.opts.Instance,
		Action:              action,
		Reason:              reason,
		Regarding:           *ref,
		Related:             relRef,
		Note:                truncate(note, noteLimit),
		Type:                eventtype,
	}, nil
}

// truncate cuts s to at most n bytes without splitting a UTF-8 rune.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// regardingRef names the object an Event regards, for logs.
func regardingRef(ev *eventsv1.Event) string {
	return ev.Regarding.Kind + " " + ev.Regarding.Namespace + "/" + ev.Regarding.Name
}
