package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/certorder/certorder/internal/localcluster"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
)

// rateLimit issues -limit-n requests from a fake DigiCert that enforces a
// rate limit, with certorder's limiter set below it, and prints the 429s
// the fake sent, the CA call rate achieved and the time to all Ready.
func (b *bench) rateLimit(ctx context.Context, c *localcluster.Cluster) error {
	limit := &dcfake.RateLimit{Requests: b.cfg.caRequests, Window: b.cfg.caWindow}
	fake, err := localcluster.NewDigiCert(dcfake.Options{RateLimit: limit})
	if err != nil {
		return err
	}
	defer fake.Close()
	fake.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
	r, err := b.issueIn(ctx, c, b.digiCertTarget(ctx, c, fake, "at the CA's rate limit", "ratelimit"), csrs(0, b.cfg.limitN))
	if err != nil {
		return err
	}
	sent := r.calls.total() + r.calls.rateLimited
	t := newTable(fmt.Sprintf("5. At the CA's rate limit: the fake DigiCert allows %d requests per %s (%.1f/s); certorder's limiter %.1f/s, burst %d",
		limit.Requests, limit.Window, float64(limit.Requests)/limit.Window.Seconds(), b.cfg.limiterRate, b.cfg.limiterBurst),
		"requests", "429s sent", "CA calls", "CA calls/s", "all Ready", "Ready/s", "p50", "p99")
	t.add(strconv.Itoa(r.n), strconv.Itoa(r.calls.rateLimited), strconv.Itoa(sent), fmt.Sprintf("%.2f", perSecond(sent, r.wall)),
		seconds(r.wall), fmt.Sprintf("%.1f", r.rate()), seconds(r.latency.P50), seconds(r.latency.P99))
	allowed := limitAllows(r.n, limit.Requests, limit.Window)
	b.sum.add(fmt.Sprintf("429s from the CA, %d orders at its limit", r.n), strconv.Itoa(r.calls.rateLimited), "0", r.calls.rateLimited == 0, b.atTarget(true))
	value, target, holds := atMost("%.1fs", r.wall.Seconds(), 1.05*allowed.Seconds())
	b.sum.add(fmt.Sprintf("all Ready at the CA's limit, %d orders (the limit allows %s)", r.n, seconds(allowed)), value, target+" (105%)", holds, b.atTarget(true))
	t.note("CA calls include those answered 429 and exclude the issuer's check; CA calls/s is over the time from the first create to the last Ready.")
	t.note("The 429s are counted by the fake (RateLimited()); orders are issued at once.")
	return t.print(b.out)
}

// limitAllows is the least time n calls take under a limit of requests per
// window, the first window starting with the first call: one call each,
// the last window's calls made as it opens.
func limitAllows(n, requests int, window time.Duration) time.Duration {
	return time.Duration((n+requests-1)/requests-1) * window
}
