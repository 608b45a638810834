package eventrec

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Causes of a dropped Event.
const (
	causeQueueFull = "queue_full"
	causeRejected  = "rejected"
	causeGaveUp    = "gave_up"
)

var dropped = prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "certorder_events_dropped_total",
	Help: "Events not written: the queue was full (queue_full), the API server refused them (rejected), or every try failed (gave_up).",
}, []string{"cause"})

func init() {
	for _, c := range []string{causeQueueFull, causeRejected, causeGaveUp} {
		dropped.WithLabelValues(c)
	}
}

// Register adds the recorder's metrics to reg; registering twice is not
// an error.
func Register(reg prometheus.Registerer) error {
	if err := reg.Register(dropped); err != nil {
		if are := (prometheus.AlreadyRegisteredError{}); !errors.As(err, &are) {
			return fmt.Errorf("registering the Event recorder's metrics: %w", err)
		}
	}
	return nil
}
