package dcv

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// The metrics of hands-free validation, labelled by provider. Register
// adds them to a registry; until then they count into nothing visible.
var (
	recordsPublished = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "certorder",
		Subsystem: "dcv",
		Name:      "records_published_total",
		Help:      "DNS validation records published through a DNS01 provider.",
	}, []string{"provider"})

	checksMade = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "certorder",
		Subsystem: "dcv",
		Name:      "checks_total",
		Help:      "Requests to the CA to check DNS validation, by outcome (validated, pending, error).",
	}, []string{"provider", "outcome"})

	timeToValidated = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "certorder",
		Subsystem: "dcv",
		Name:      "time_to_validated_seconds",
		Help:      "Time from the start of an order's DNS validation to the CA reporting every name validated.",
		Buckets:   []float64{30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600},
	}, []string{"provider"})
)

// Register adds the metrics to reg. Registering twice is not an error.
func Register(reg prometheus.Registerer) error {
	for _, c := range []prometheus.Collector{recordsPublished, checksMade, timeToValidated} {
		if err := reg.Register(c); err != nil {
			if are := (prometheus.AlreadyRegisteredError{}); !errors.As(err, &are) {
				return err
			}
		}
	}
	return nil
}
