package controllers

import (
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
)

// endedSubmissions remembers the submissions whose CA call this process saw
// end without a handle, so their recovery need not wait out the in-flight
// window: after a crash, another process cannot know whether the call is
// still under way, and waits.
type endedSubmissions struct {
	mu    sync.Mutex
	ended map[types.UID]time.Time
}

// markEnded records that the submission with intent time at has ended.
func (e *endedSubmissions) markEnded(uid types.UID, at time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ended == nil {
		e.ended = map[types.UID]time.Time{}
	}
	e.ended[uid] = at
}

// hasEnded tells whether the submission with intent time at is known to
// have ended.
func (e *endedSubmissions) hasEnded(uid types.UID, at time.Time) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	t, ok := e.ended[uid]
	return ok && t.Equal(at)
}

// forget drops a request whose handle was recorded.
func (e *endedSubmissions) forget(uid types.UID) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.ended, uid)
}
