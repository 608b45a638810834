package eventrec

import (
	"container/list"
	"crypto/sha256"
	"sync"
	"time"

	eventsv1 "k8s.io/api/events/v1"
)

// digest identifies isomorphic Events: the same regarding object, type,
// reason, action, note and reportingController. A fixed-size digest keeps
// an entry's size independent of the note's.
type digest [sha256.Size]byte

func keyOf(ev *eventsv1.Event) digest {
	h := sha256.New()
	for _, s := range []string{
		ev.Regarding.APIVersion, ev.Regarding.Kind, ev.Regarding.Namespace, ev.Regarding.Name, string(ev.Regarding.UID),
		ev.Type, ev.Reason, ev.Action, ev.ReportingController, ev.Note,
	} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	var d digest
	h.Sum(d[:0])
	return d
}

// entry is what the recorder remembers of a recent Event: no copy of it.
type entry struct {
	key             digest
	namespace, name string
	// count is how often the Event occurred, written what the API has.
	count, written int32
	// last is its last occurrence, writtenAt when its count was written.
	last, writtenAt time.Time
}

// patchJob writes a series' count.
type patchJob struct {
	key             digest
	namespace, name string
	count           int32
	last            time.Time
}

func (e *entry) job() patchJob {
	return patchJob{key: e.key, namespace: e.namespace, name: e.name, count: e.count, last: e.last}
}

// recent is an LRU of entries, most recent occurrence first.
type recent struct {
	mu    sync.Mutex
	max   int
	order *list.List
	index map[digest]*list.Element
}

func newRecent(max int) *recent {
	return &recent{max: max, order: list.New(), index: map[digest]*list.Element{}}
}

// observe records one occurrence of ev at now. It returns create when ev
// starts a new series (it must be created), and the series counts to
// write: ev's own when its count is due, and a series that ends (expired
// or evicted) with an unwritten count.
func (c *recent) observe(ev *eventsv1.Event, now time.Time, window, patchInterval time.Duration) (create bool, jobs []patchJob) {
	k := keyOf(ev)
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.index[k]; ok {
		e := el.Value.(*entry)
		if now.Sub(e.last) < window {
			e.count++
			e.last = now
			c.order.MoveToFront(el)
			if now.Sub(e.writtenAt) >= patchInterval {
				jobs = append(jobs, e.markWritten(now))
			}
			return false, jobs
		}
		jobs = c.remove(el, jobs)
	}
	c.index[k] = c.order.PushFront(&entry{
		key: k, namespace: ev.Namespace, name: ev.Name,
		count: 1, written: 1, last: now, writtenAt: now,
	})
	if c.order.Len() > c.max {
		jobs = c.remove(c.order.Back(), jobs)
	}
	return true, jobs
}

// due returns the counts to write at now: every unwritten count at least
// patchInterval old, and those of the series that ended, which it forgets.
func (c *recent) due(now time.Time, window, patchInterval time.Duration) []patchJob {
	c.mu.Lock()
	defer c.mu.Unlock()
	var jobs []patchJob
	for el := c.order.Back(); el != nil; {
		e := el.Value.(*entry)
		prev := el.Prev()
		switch {
		case now.Sub(e.last) >= window:
			jobs = c.remove(el, jobs)
		case e.count != e.written && now.Sub(e.writtenAt) >= patchInterval:
			jobs = append(jobs, e.markWritten(now))
		}
		el = prev
	}
	return jobs
}

// forget drops the series of key if its Event is still name, so that the
// next occurrence creates an Event again.
func (c *recent) forget(key digest, name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.index[key]; ok && el.Value.(*entry).name == name {
		c.order.Remove(el)
		delete(c.index, key)
	}
}

// len is the number of entries held.
func (c *recent) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// markWritten marks e's count as written at now and returns the job that
// writes it.
func (e *entry) markWritten(now time.Time) patchJob {
	e.written, e.writtenAt = e.count, now
	return e.job()
}

// remove forgets el, adding its count to jobs when unwritten.
func (c *recent) remove(el *list.Element, jobs []patchJob) []patchJob {
	e := el.Value.(*entry)
	c.order.Remove(el)
	delete(c.index, e.key)
	if e.count != e.written {
		jobs = append(jobs, e.job())
	}
	return jobs
}
