package main

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certorder/certorder/internal/localcluster"
	"github.com/certorder/certorder/internal/provider/digicert"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
)

// rateLimit issues -limit-n immediate orders through one DigiCertIssuer,
// so one API key, from a fake DigiCert that enforces -ca-limits (DigiCert's
// documented limits by default) while certorder runs with its default
// limiter (unless -limiter-rate or -limiter-burst). It prints the 429s the
// fake sent, the time to all Ready beside the time the limits allow, and
// certorder's Kubernetes API requests per certificate: a saturated limiter
// defers submissions, and each deferral costs writes.
func (b *bench) rateLimit(ctx context.Context, c *localcluster.Cluster) error {
	limits := b.cfg.caLimits
	fake, err := localcluster.NewDigiCert(dcfake.Options{RateLimits: limits})
	if err != nil {
		return err
	}
	defer fake.Close()
	fake.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
	r, err := b.issueIn(ctx, c, b.digiCertTarget(ctx, c, fake, "at the CA's rate limit", "ratelimit"), csrs(0, b.cfg.limitN))
	if err != nil {
		return err
	}
	// Every call the key made, the issuer's checks included: the fake and
	// its key are this phase's own.
	onKey := fake.RateLimited()
	for _, n := range fake.Calls() {
		onKey += n
	}
	allowed := limitAllows(onKey, limits)
	writesPerCert := perCert(writes(r.api), r.n)
	t := newTable(fmt.Sprintf("5. At the CA's rate limit: %d immediate orders on one DigiCert API key; the fake allows %s per key (rolling windows); certorder's limiter %s",
		r.n, limitsText(limits), b.limiterText()),
		"requests", "calls on the key", "429s", "the limit allows", "all Ready", "all Ready / allowed", "CA calls/s", "p50", "p99", "API writes/cert", "API requests/cert")
	t.add(strconv.Itoa(r.n), strconv.Itoa(onKey), strconv.Itoa(r.calls.rateLimited), seconds(allowed), seconds(r.wall),
		fmt.Sprintf("%.1f%%", 100*r.wall.Seconds()/allowed.Seconds()), fmt.Sprintf("%.2f", perSecond(r.calls.total(), r.wall)),
		seconds(r.latency.P50), seconds(r.latency.P99), writesPerCert, perCert(allRequests(r.api), r.n))
	t.note("The limit allows: the calls on the key (the issuer's check included; 429s included) x %s, the slowest of the limits.", perCallText(limits))
	t.note("Over a rolling window no client that must never see a 429 does better over a sustained run: the window holds the key's last calls whoever made them,")
	t.note("so a client that spends it at once must then wait as long. A fresh key could send its first calls faster, at the short window's rate, and pay later.")
	t.note("429s are counted by the fake (RateLimited()); all Ready runs from the first create to the last Ready; CA calls/s is over that time.")
	t.note("API requests: certorder's own, from the first create to the last Ready, by verb: %s.", verbsText(r.api, r.n))
	b.sum.add(fmt.Sprintf("429s from the CA, %d orders on one key at its documented limit", r.n), strconv.Itoa(r.calls.rateLimited), "0", r.calls.rateLimited == 0, b.atTarget(b.atDocumentedLimit()))
	value, target, holds := atMost("%.1fs", r.wall.Seconds(), 1.05*allowed.Seconds())
	b.sum.add(fmt.Sprintf("all Ready at the CA's documented limit, %d orders on one key (the limit allows %s for %d calls)", r.n, seconds(allowed), onKey),
		value, target+" (105%)", holds, b.atTarget(b.atDocumentedLimit()))
	b.sum.add(fmt.Sprintf("API writes per certificate at the CA's limit, %d orders", r.n), writesPerCert, "reported", true, false)
	return t.print(b.out)
}

// atDocumentedLimit tells whether the phase ran the issue's case: 1000
// orders, DigiCert's documented limits, certorder's default limiter.
func (b *bench) atDocumentedLimit() bool {
	return b.cfg.limitN == 1000 && slices.Equal(b.cfg.caLimits, dcfake.DocumentedRateLimits()) && b.cfg.digiCertLimits() == nil
}

// limiterText describes certorder's DigiCert limiter in the phase.
func (b *bench) limiterText() string {
	if b.cfg.digiCertLimits() == nil {
		return fmt.Sprintf("at its defaults (%.4f calls/s, burst %d)", float64(digicert.DefaultRate), digicert.DefaultBurst)
	}
	return fmt.Sprintf("set by -limiter-rate %g -limiter-burst %d (0: the default)", b.cfg.limiterRate, b.cfg.limiterBurst)
}

// slowest is the limit with the lowest sustained rate, Requests per Window.
func slowest(limits []dcfake.RateLimit) dcfake.RateLimit {
	return slices.MinFunc(limits, func(a, b dcfake.RateLimit) int {
		// a.Requests/a.Window against b.Requests/b.Window, without division.
		return cmp.Compare(time.Duration(a.Requests)*b.Window, time.Duration(b.Requests)*a.Window)
	})
}

// limitAllows is the least time calls take under rolling-window limits
// over a sustained run: calls at the slowest limit's rate.
func limitAllows(calls int, limits []dcfake.RateLimit) time.Duration {
	l := slowest(limits)
	return time.Duration(calls) * l.Window / time.Duration(l.Requests)
}

// perCallText says the slowest limit's time per call: "300ms per call (1000/5m0s)".
func perCallText(limits []dcfake.RateLimit) string {
	l := slowest(limits)
	return fmt.Sprintf("%s per call (%d/%s)", l.Window/time.Duration(l.Requests), l.Requests, l.Window)
}

// verbsText lists API requests per certificate by verb and resource.
func verbsText(api map[string]int, n int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(api)) {
		parts = append(parts, k+" "+perCert(api[k], n))
	}
	if len(parts) == 0 {
		return "none counted"
	}
	return strings.Join(parts, ", ")
}
