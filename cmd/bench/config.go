package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// config is the command line.
type config struct {
	n            []int
	workers      int
	pendingN     int
	pendingPolls int
	pollInterval time.Duration
	memoryN      []int
	memoryKeys   int
	settle       time.Duration
	limitN       int
	caRequests   int
	caWindow     time.Duration
	limiterRate  float64
	limiterBurst int
	timeout      time.Duration
}

// parseFlags reads the command line.
func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	n := fs.String("n", "100,1000", "Comma-separated numbers of CertificateRequests for the throughput comparison.")
	fs.IntVar(&c.workers, "workers", 16, "Goroutines that create (and approve) CertificateRequests.")
	fs.IntVar(&c.pendingN, "pending-n", 50, "CertificateRequests whose DigiCert orders stay pending.")
	fs.IntVar(&c.pendingPolls, "pending-polls", 3, "Polls that see a pending order still pending.")
	fs.DurationVar(&c.pollInterval, "poll-interval", time.Second, "The pending issuer's pollInterval (first wait; certorder doubles it per poll).")
	memN := fs.String("memory-n", "1000,10000", "Comma-separated, increasing numbers of issued CertificateRequests held in the cluster when certorder's memory is sampled.")
	fs.IntVar(&c.memoryKeys, "memory-keys", 30, "DigiCertIssuers, each with its own API key, that the memory phase spreads its requests over: certorder limits each key to its default --digicert-rate-limit.")
	fs.DurationVar(&c.settle, "settle", 5*time.Second, "Wait between the last Ready and the memory sample.")
	fs.IntVar(&c.limitN, "limit-n", 200, "CertificateRequests issued at the CA's rate limit.")
	fs.IntVar(&c.caRequests, "ca-limit", 50, "Requests the fake DigiCert allows per -ca-window.")
	fs.DurationVar(&c.caWindow, "ca-window", 5*time.Second, "The fake DigiCert's rate-limit window.")
	fs.Float64Var(&c.limiterRate, "limiter-rate", 8, "certorder's DigiCert limit in the rate-limit phase, in calls per second.")
	fs.IntVar(&c.limiterBurst, "limiter-burst", 10, "certorder's DigiCert burst in the rate-limit phase.")
	fs.DurationVar(&c.timeout, "timeout", 20*time.Minute, "How long one batch of CertificateRequests may take to be Ready.")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	var err error
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
	if c.workers < 1 || c.pendingN < 1 || c.pendingPolls < 0 || c.memoryKeys < 1 || c.limitN < 1 || c.caRequests < 1 || c.limiterBurst < 1 {
		return c, errors.New("-workers, -pending-n, -memory-keys, -limit-n, -ca-limit and -limiter-burst must be positive, -pending-polls not negative")
	}
	// A zero limiter rate would block every call until -timeout, and a zero
	// window would make the fake never limit.
	if c.limiterRate <= 0 || c.caWindow <= 0 || c.pollInterval <= 0 || c.timeout <= 0 || c.settle < 0 {
		return c, errors.New("-limiter-rate, -ca-window, -poll-interval and -timeout must be positive, -settle not negative")
	}
	return c, nil
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
