package main

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/digicert"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
)

// config is the command line.
type config struct {
	quick        bool
	phases       []string
	n            []int
	workers      int
	pendingN     int
	pendingPolls int
	pollInterval time.Duration
	memoryN      []int
	foreignN     int
	memoryKeys   int
	settle       time.Duration
	steady       time.Duration
	restart      bool
	limitN       int
	caLimits     []dcfake.RateLimit
	limiterRate  float64
	limiterBurst int
	timeout      time.Duration
}

// The phases, in the order they run.
const (
	phaseThroughput = "throughput"
	phaseMemory     = "memory"
	phaseRateLimit  = "ratelimit"
)

// defaults are the settings of a full run: the figures of the issue's
// targets (N=1000, 10000 requests held, 200 orders pending for 3 polls).
var defaults = config{
	phases: []string{phaseThroughput, phaseMemory, phaseRateLimit},
	n:      []int{100, 1000}, workers: 16, pendingN: 200, pendingPolls: 3, pollInterval: time.Second,
	memoryN: []int{1000, 10000}, foreignN: 10000, memoryKeys: 30, settle: 5 * time.Second, steady: 150 * time.Second, restart: true,
	limitN: 1000, caLimits: dcfake.DocumentedRateLimits(), timeout: 20 * time.Minute,
}

// quickDefaults are the settings of -quick: every phase, at sizes that run
// in under two minutes, to check that the bench works, not its figures.
var quickDefaults = config{
	quick:  true,
	phases: defaults.phases,
	n:      []int{20}, workers: 8, pendingN: 10, pendingPolls: 1, pollInterval: 200 * time.Millisecond,
	memoryN: []int{50}, foreignN: 50, memoryKeys: 2, settle: 200 * time.Millisecond, steady: 200 * time.Millisecond, restart: true,
	limitN: 40, caLimits: scaledLimits, limiterRate: float64(digicert.DefaultRate), limiterBurst: digicert.DefaultBurst / quickScale,
	timeout: time.Minute,
}

// quickScale divides the calls and the windows of DigiCert's documented
// limits, and certorder's default burst, for -quick: the same rates in
// windows ten times shorter, so the rate-limit phase still runs at its
// limit, within seconds.
const quickScale = 10

var scaledLimits = func() []dcfake.RateLimit {
	out := dcfake.DocumentedRateLimits()
	for i := range out {
		out[i].Requests /= quickScale
		out[i].Window /= quickScale
	}
	return out
}()

// parseFlags reads the command line. -quick, anywhere in it, changes the
// defaults of the other flags; flags given explicitly still win.
func parseFlags(args []string) (config, error) {
	d := defaults
	if slices.Contains(args, "-quick") || slices.Contains(args, "--quick") {
		d = quickDefaults
	}
	var c config
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.BoolVar(&c.quick, "quick", false, "A short run (under two minutes) that checks the bench works; its figures are not judged against the targets.")
	phases := fs.String("phases", strings.Join(d.phases, ","), "Comma-separated phases to run: throughput (with the CA calls), memory, ratelimit.")
	n := fs.String("n", joinInts(d.n), "Comma-separated numbers of CertificateRequests for the throughput comparison.")
	fs.IntVar(&c.workers, "workers", d.workers, "Goroutines that create (and approve) CertificateRequests.")
	fs.IntVar(&c.pendingN, "pending-n", d.pendingN, "CertificateRequests whose orders stay pending, for DigiCert and again for one Openprovider account.")
	fs.IntVar(&c.pendingPolls, "pending-polls", d.pendingPolls, "Polls (DigiCert) or looks, by a GET or a listing (Openprovider), that see a pending order still pending.")
	fs.DurationVar(&c.pollInterval, "poll-interval", d.pollInterval, "The pending issuer's pollInterval (first wait; certorder doubles it per poll).")
	memN := fs.String("memory-n", joinInts(d.memoryN), "Comma-separated, increasing numbers of issued CertificateRequests held in the cluster when certorder's memory is sampled.")
	fs.IntVar(&c.foreignN, "memory-foreign-n", d.foreignN, "CertificateRequests of cert-manager's CA Issuer held in the cluster when certorder's memory is first sampled; 0 skips that step.")
	fs.IntVar(&c.memoryKeys, "memory-keys", d.memoryKeys, "DigiCertIssuers, each with its own API key, that the memory phase spreads its requests over: certorder limits each key to its default --digicert-rate-limit.")
	fs.DurationVar(&c.settle, "settle", d.settle, "Wait between the last Ready and the first memory sample, and, on restart, after the work queues empty.")
	fs.DurationVar(&c.steady, "steady", d.steady, "Wait after the first memory sample before the steady one, which is judged: an idle Go process is collected every 2 minutes, and its scavenger then gives the burst's garbage back to the OS.")
	fs.BoolVar(&c.restart, "restart", d.restart, "After the memory phase's last sample, restart certorder with leader election and measure a new request's time to Ready and what the requests held cost it.")
	fs.IntVar(&c.limitN, "limit-n", d.limitN, "CertificateRequests issued at the CA's rate limit.")
	caLimits := fs.String("ca-limits", limitsText(d.caLimits), "Comma-separated rolling-window limits, requests/window, that the fake DigiCert enforces on the key in the rate-limit phase; the default is DigiCert's documented limits.")
	fs.Float64Var(&c.limiterRate, "limiter-rate", d.limiterRate, "certorder's DigiCert limit in the rate-limit phase, in calls per second; 0 keeps certorder's default (--digicert-rate-limit).")
	fs.IntVar(&c.limiterBurst, "limiter-burst", d.limiterBurst, "certorder's DigiCert burst in the rate-limit phase; 0 keeps certorder's default (--digicert-burst).")
	fs.DurationVar(&c.timeout, "timeout", d.timeout, "How long one batch of CertificateRequests may take to be Ready.")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	var err error
	if c.phases, err = phaseList(*phases); err != nil {
		return c, fmt.Errorf("-phases: %w", err)
	}
	if c.n, err = intList(*n); err != nil {
		return c, fmt.Errorf("-n: %w", err)
	}
	if c.memoryN, err = intList(*memN); err != nil {
		return c, fmt.Errorf("-memory-n: %w", err)
	}
	for i := 1; i < len(c.memoryN); i++ {
		if c.memoryN[i] <= c.memoryN[i-1] {
			return c, errors.New("-memory-n: the numbers must increase, as each sample adds requests to the previous ones")
		}
	}
	if c.caLimits, err = limitList(*caLimits); err != nil {
		return c, fmt.Errorf("-ca-limits: %w", err)
	}
	if c.workers < 1 || c.pendingN < 1 || c.pendingPolls < 0 || c.memoryKeys < 1 || c.limitN < 1 || c.foreignN < 0 {
		return c, errors.New("-workers, -pending-n, -memory-keys and -limit-n must be positive, -pending-polls and -memory-foreign-n not negative")
	}
	if c.limiterRate < 0 || c.limiterBurst < 0 || c.pollInterval <= 0 || c.timeout <= 0 || c.settle < 0 || c.steady < 0 {
		return c, errors.New("-poll-interval and -timeout must be positive, -limiter-rate, -limiter-burst, -settle and -steady not negative")
	}
	return c, nil
}

// runs tells whether phase is to run.
func (c config) runs(phase string) bool { return slices.Contains(c.phases, phase) }

// phaseList parses "throughput,memory" into known phases.
func phaseList(s string) ([]string, error) {
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		p := strings.TrimSpace(f)
		if !slices.Contains(defaults.phases, p) {
			return nil, fmt.Errorf("unknown phase %q; the phases are %s", p, strings.Join(defaults.phases, ", "))
		}
		out = append(out, p)
	}
	return out, nil
}

// joinInts is the flag text of a list of numbers.
func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

// digiCertLimits are certorder's DigiCert limits in the rate-limit phase:
// nil, certorder's defaults, unless -limiter-rate or -limiter-burst is set.
func (c config) digiCertLimits() *provider.Limiters {
	if c.limiterRate == 0 && c.limiterBurst == 0 {
		return nil
	}
	limit, burst := digicert.DefaultRate, digicert.DefaultBurst
	if c.limiterRate > 0 {
		limit = rate.Limit(c.limiterRate)
	}
	if c.limiterBurst > 0 {
		burst = c.limiterBurst
	}
	return provider.NewLimiters(limit, burst)
}

// limitsText is the flag text of rate limits: "100/5s,1000/5m0s".
func limitsText(limits []dcfake.RateLimit) string {
	s := make([]string, len(limits))
	for i, l := range limits {
		s[i] = fmt.Sprintf("%d/%s", l.Requests, l.Window)
	}
	return strings.Join(s, ",")
}

// limitList parses "100/5s,1000/5m" into limits of positive requests and
// windows.
func limitList(s string) ([]dcfake.RateLimit, error) {
	var out []dcfake.RateLimit
	for f := range strings.SplitSeq(s, ",") {
		n, w, ok := strings.Cut(strings.TrimSpace(f), "/")
		requests, err := strconv.Atoi(n)
		if !ok || err != nil {
			return nil, fmt.Errorf("%q is not requests/window", f)
		}
		window, err := time.ParseDuration(w)
		if err != nil {
			return nil, fmt.Errorf("parsing the window of %q: %w", f, err)
		}
		if requests < 1 || window <= 0 {
			return nil, fmt.Errorf("%q: the requests and the window must be positive", f)
		}
		out = append(out, dcfake.RateLimit{Requests: requests, Window: window})
	}
	return out, nil
}

// intList parses "100,1000" into positive numbers.
func intList(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("parsing %q: %w", f, err)
		}
		if n < 1 {
			return nil, fmt.Errorf("%d is not a positive number", n)
		}
		out = append(out, n)
	}
	return out, nil
}
