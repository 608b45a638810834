package fakeca

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind is a way for a fake CA to misbehave.
type FaultKind int

const (
	// ServerError answers 500 (or Status) with Body, before anything is done.
	ServerError FaultKind = iota + 1
	// RateLimited answers 429 with Retry-After and Body, before anything is done.
	RateLimited
	// Slow waits Delay, then serves the call normally.
	Slow
	// DropBeforeCommit closes the connection without doing anything.
	DropBeforeCommit
	// DropAfterCommit serves the call (an order is placed) and then closes
	// the connection instead of answering: the client cannot know.
	DropAfterCommit
)

// Fault scripts one kind of misbehaviour for matching calls.
type Fault struct {
	Kind FaultKind
	// Method and PathPrefix select calls; empty matches any.
	Method     string
	PathPrefix string
	// Times is how many matching calls are affected; 0 means every one.
	Times int
	// Status overrides the status code of ServerError.
	Status int
	// Body is sent with ServerError and RateLimited.
	Body string
	// RetryAfter is sent with RateLimited, in whole seconds.
	RetryAfter time.Duration
	// Delay is the wait of Slow.
	Delay time.Duration
}

// Faults is a script of faults, safe for concurrent use.
type Faults struct {
	mu     sync.Mutex
	script []*Fault
}

// Add appends a fault to the script.
func (f *Faults) Add(fault Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script = append(f.script, &fault)
}

// Clear removes every scripted fault.
func (f *Faults) Clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script = nil
}

func (f *Faults) take(r *http.Request) *Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, s := range f.script {
		if (s.Method != "" && s.Method != r.Method) || !strings.HasPrefix(r.URL.Path, s.PathPrefix) {
			continue
		}
		got := *s
		if s.Times > 0 {
			s.Times--
			if s.Times == 0 {
				f.script = append(f.script[:i], f.script[i+1:]...)
			}
		}
		return &got
	}
	return nil
}

// Wrap applies the script to next.
func (f *Faults) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fault := f.take(r)
		if fault == nil {
			next.ServeHTTP(w, r)
			return
		}
		switch fault.Kind {
		case ServerError:
			status := fault.Status
			if status == 0 {
				status = http.StatusInternalServerError
			}
			http.Error(w, fault.Body, status)
		case RateLimited:
			w.Header().Set("Retry-After", strconv.Itoa(int(fault.RetryAfter/time.Second)))
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(fault.Body))
		case Slow:
			select {
			case <-time.After(fault.Delay):
			case <-r.Context().Done():
				return
			}
			next.ServeHTTP(w, r)
		case DropBeforeCommit:
			drop(w)
		case DropAfterCommit:
			next.ServeHTTP(httptest.NewRecorder(), r)
			drop(w)
		}
	})
}

// drop closes the client's connection without an answer.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
