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
	restart      bool
	limitN       int
	caRequests   int
	caWindow     time.Duration
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
	memoryN: []int{1000, 10000}, foreignN: 10000, memoryKeys: 30, settle: 5 * time.Second, restart: true,
	limitN: 200, caRequests: 50, caWindow: 5 * time.Second, limiterRate: 8, limiterBurst: 10, timeout: 20 * time.Minute,
}

// quickDefaults are the settings of -quick: every phase, at sizes that run
// in under two minutes, to check that the bench works, not its figures.
var quickDefaults = config{
	quick:  true,
	phases: defaults.phases,
	n:      []int{20}, workers: 8, pendingN: 10, pendingPolls: 3, pollInterval: 200 * time.Millisecond,
	memoryN: []int{50}, foreignN: 50, memoryKeys: 2, settle: 200 * time.Millisecond, restart: true,
	limitN: 20, caRequests: 20, caWindow: time.Second, limiterRate: 8, limiterBurst: 10, timeout: time.Minute,
}

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
	fs.IntVar(&c.pendingN, "pending-n", d.pendingN, "CertificateRequests whose DigiCert orders stay pending.")
	fs.IntVar(&c.pendingPolls, "pending-polls", d.pendingPolls, "Polls that see a pending order still pending.")
	fs.DurationVar(&c.pollInterval, "poll-interval", d.pollInterval, "The pending issuer's pollInterval (first wait; certorder doubles it per poll).")
	memN := fs.String("memory-n", joinInts(d.memoryN), "Comma-separated, increasing numbers of issued CertificateRequests held in the cluster when certorder's memory is sampled.")
	fs.IntVar(&c.foreignN, "memory-foreign-n", d.foreignN, "CertificateRequests of cert-manager's CA Issuer held in the cluster when certorder's memory is first sampled; 0 skips that step.")
	fs.IntVar(&c.memoryKeys, "memory-keys", d.memoryKeys, "DigiCertIssuers, each with its own API key, that the memory phase spreads its requests over: certorder limits each key to its default --digicert-rate-limit.")
	fs.DurationVar(&c.settle, "settle", d.settle, "Wait between the last Ready and the memory sample.")
	fs.BoolVar(&c.restart, "restart", d.restart, "After the memory phase's last sample, restart certorder with leader election and measure a new request's time to Ready and what the requests held cost it.")
	fs.IntVar(&c.limitN, "limit-n", d.limitN, "CertificateRequests issued at the CA's rate limit.")
	fs.IntVar(&c.caRequests, "ca-limit", d.caRequests, "Requests the fake DigiCert allows per -ca-window.")
	fs.DurationVar(&c.caWindow, "ca-window", d.caWindow, "The fake DigiCert's rate-limit window.")
	fs.Float64Var(&c.limiterRate, "limiter-rate", d.limiterRate, "certorder's DigiCert limit in the rate-limit phase, in calls per second.")
	fs.IntVar(&c.limiterBurst, "limiter-burst", d.limiterBurst, "certorder's DigiCert burst in the rate-limit phase.")
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
	if c.workers < 1 || c.pendingN < 1 || c.pendingPolls < 0 || c.memoryKeys < 1 || c.limitN < 1 || c.caRequests < 1 || c.limiterBurst < 1 || c.foreignN < 0 {
		return c, errors.New("-workers, -pending-n, -memory-keys, -limit-n, -ca-limit and -limiter-burst must be positive, -pending-polls and -memory-foreign-n not negative")
	}
	// A zero limiter rate would block every call until -timeout, and a zero
	// window would make the fake never limit.
	if c.limiterRate <= 0 || c.caWindow <= 0 || c.pollInterval <= 0 || c.timeout <= 0 || c.settle < 0 {
		return c, errors.New("-limiter-rate, -ca-window, -poll-interval and -timeout must be positive, -settle not negative")
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

// limiterLimit is the rate-limit phase's certorder limit.
func (c config) limiterLimit() rate.Limit { return rate.Limit(c.limiterRate) }

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
