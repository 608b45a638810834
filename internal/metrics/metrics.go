// Package metrics holds certorder's Prometheus collectors; Register adds
// them to the registry that the manager's metrics endpoint serves. Every
// label is bounded: provider names, route templates, action
// names and outcome classes, never ids, names or hosts.
package metrics

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Outcome classes of a CA call.
const (
	OutcomeSuccess        = "success"
	OutcomeClientError    = "client_error"
	OutcomeServerError    = "server_error"
	OutcomeRateLimited    = "rate_limited"
	OutcomeTransportError = "transport_error"
)

var (
	caRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "certorder_ca_requests_total",
		Help: "Calls to a CA by provider, endpoint route template and outcome class.",
	}, []string{"provider", "endpoint", "outcome"})

	caRequestDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "certorder_ca_request_duration_seconds",
		Help:    "Latency of calls to a CA, rate-limiter wait excluded.",
		Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60},
	}, []string{"provider", "endpoint"})

	submissions = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "certorder_submissions_total",
		Help: "Orders, reissues and duplicates placed at a CA.",
	}, []string{"provider", "action"})

	pending = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "certorder_certificaterequests_pending",
		Help: "CertificateRequests waiting for their CA, by age since creation.",
	}, []string{"provider", "age"})

	issueDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "certorder_certificaterequest_issue_duration_seconds",
		Help:    "Time from a CertificateRequest's creation to its certificate being issued.",
		Buckets: []float64{10, 30, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 24 * 3600, 3 * 24 * 3600, 7 * 24 * 3600},
	}, []string{"provider"})

	limiterWait = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "certorder_ratelimiter_wait_seconds",
		Help:    "Time a CA call waited for its credential's rate limiter.",
		Buckets: []float64{0.001, 0.01, 0.1, 0.5, 1, 5, 15, 60, 300},
	}, []string{"provider"})
)

// Register adds certorder's collectors to r: the manager's registry,
// which its metrics endpoint serves. Registering them again is a no-op.
// The package leaves the choice of registry to its caller so that the CA
// clients, which record every call, need not import controller-runtime.
func Register(r prometheus.Registerer) error {
	for _, c := range collectors() {
		var already prometheus.AlreadyRegisteredError
		if err := r.Register(c); err != nil && !errors.As(err, &already) {
			return fmt.Errorf("registering certorder's metrics: %w", err)
		}
	}
	return nil
}

// collectors are every collector Register adds.
func collectors() []prometheus.Collector {
	return []prometheus.Collector{caRequests, caRequestDuration, submissions, pending, issueDuration, limiterWait, buildInfo, inventory}
}

// fqName finds the metric name in a descriptor's only rendering.
var fqName = regexp.MustCompile(`fqName: "([^"]+)"`)

// Names are the names of every metric Register adds, read from the
// collectors' descriptors (a histogram's series add _bucket, _sum and
// _count).
func Names() []string {
	ch := make(chan *prometheus.Desc)
	go func() {
		for _, c := range collectors() {
			c.Describe(ch)
		}
		close(ch)
	}()
	var names []string
	for d := range ch {
		if m := fqName.FindStringSubmatch(d.String()); m != nil {
			names = append(names, m[1])
		}
	}
	return names
}

// Outcome classifies a CA call: err is a fault before a complete response
// arrived; otherwise the HTTP status decides.
func Outcome(status int, err error) string {
	switch {
	case err != nil:
		return OutcomeTransportError
	case status == http.StatusTooManyRequests:
		return OutcomeRateLimited
	case status >= 500:
		return OutcomeServerError
	case status >= 400:
		return OutcomeClientError
	default:
		return OutcomeSuccess
	}
}

// ObserveCACall records one call to a CA. endpoint must be a route template
// such as "GET /order/certificate/{id}".
func ObserveCACall(provider, endpoint string, status int, err error, d time.Duration) {
	caRequests.WithLabelValues(provider, endpoint, Outcome(status, err)).Inc()
	caRequestDuration.WithLabelValues(provider, endpoint).Observe(d.Seconds())
}

// ObserveSubmission records an order, reissue or duplicate placed at a CA;
// action is one of provider.Action's values.
func ObserveSubmission(provider, action string) {
	submissions.WithLabelValues(provider, action).Inc()
}

// PendingAges are the age buckets of the pending gauge, youngest first:
// each holds the requests older than the previous bound and at most as old
// as its own.
var PendingAges = []struct {
	Label string
	Upto  time.Duration
}{
	{"0-5m", 5 * time.Minute},
	{"5m-1h", time.Hour},
	{"1h-1d", 24 * time.Hour},
	{"1d+", math.MaxInt64},
}

// PendingAge is the label of the bucket that holds a request of age d.
func PendingAge(d time.Duration) string {
	for _, b := range PendingAges {
		if d <= b.Upto {
			return b.Label
		}
	}
	return PendingAges[len(PendingAges)-1].Label
}

// SetPending sets how many CertificateRequests of an age bucket (a
// PendingAge label) wait for the provider's CA.
func SetPending(provider, age string, n int) {
	pending.WithLabelValues(provider, age).Set(float64(n))
}

// ObserveIssued records the time from a request's creation to its issuance.
func ObserveIssued(provider string, d time.Duration) {
	issueDuration.WithLabelValues(provider).Observe(d.Seconds())
}

// ObserveLimiterWait records how long a call waited for the rate limiter.
func ObserveLimiterWait(provider string, d time.Duration) {
	limiterWait.WithLabelValues(provider).Observe(d.Seconds())
}
