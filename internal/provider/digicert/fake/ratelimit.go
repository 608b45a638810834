package fake

import "time"

// RateLimit refuses a call, with 429 request_limit_exceeded, when Requests
// calls of the same API key were already admitted in the Window before it:
// a rolling window, with no instant at which it resets.
type RateLimit struct {
	Requests int
	Window   time.Duration
}

// DocumentedRateLimits are CertCentral's limits per API key: a burst limit
// of 100 requests per 5 seconds, and 1000 requests per 5 minutes, both over
// a rolling window (https://dev.digicert.com/rate-limits/, and the change
// log of 28 February 2020, https://docs.digicert.com/change-log/?tag=rate%20limits).
// The current page says 1000 per 3 minutes
// (https://dev.digicert.com/en/certcentral-apis/services-api/rate-limits.html);
// any 3 minutes lie inside some 5 minutes, so a client within 1000 per 5
// minutes is within both readings, and the fake models the stricter one.
//
// Modelled, as the docs do not say: a refused call does not count against
// the windows; a window holds the calls of the last Window, its start
// excluded; and the 429 carries a Retry-After of the seconds until the
// oldest call of every full window leaves it.
func DocumentedRateLimits() []RateLimit {
	return []RateLimit{{Requests: 100, Window: 5 * time.Second}, {Requests: 1000, Window: 5 * time.Minute}}
}

// callLog is the admission times of one API key's calls, oldest first: the
// latest ones, as many as the largest Requests of the limits.
type callLog struct {
	times []time.Time
}

// admit records a call at now when every limit has room for it. Otherwise
// it says how long until every limit has.
func (l *callLog) admit(limits []RateLimit, now time.Time) (wait time.Duration, ok bool) {
	keep := 0
	for _, rl := range limits {
		keep = max(keep, rl.Requests)
		if w := l.full(rl, now); w > wait {
			wait = w
		}
	}
	if wait > 0 {
		return wait, false
	}
	l.times = append(l.times, now)
	if len(l.times) > keep {
		l.times = l.times[len(l.times)-keep:]
	}
	return 0, true
}

// full is how long until rl has room for a call, zero when it has room now.
func (l *callLog) full(rl RateLimit, now time.Time) time.Duration {
	if rl.Requests <= 0 {
		return rl.Window
	}
	if len(l.times) < rl.Requests {
		return 0
	}
	// The oldest call that rl's window may still hold.
	oldest := l.times[len(l.times)-rl.Requests]
	return max(oldest.Add(rl.Window).Sub(now), 0)
}
