package metrics_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/certorder/certorder/internal/metrics"
)

// registry holds the collectors as the manager's registry does.
var registry = func() *prometheus.Registry {
	r := prometheus.NewRegistry()
	if err := metrics.Register(r); err != nil {
		panic(err)
	}
	return r
}()

// Each test uses its own provider label, so tests share the collectors
// without seeing each other's series.

// sample is one series as the registry serves it: a
// counter's or gauge's value, or a histogram's count and sum.
type sample struct {
	value float64
	count uint64
	sum   float64
}

// series returns the series of name carrying every label in labels (pairs
// of name and value), failing the test when there is none.
func series(t *testing.T, name string, labels ...string) sample {
	t.Helper()
	families, err := registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			if matches(have, labels) {
				// At most one of counter and gauge is set.
				return sample{
					value: m.GetCounter().GetValue() + m.GetGauge().GetValue(),
					count: m.GetHistogram().GetSampleCount(),
					sum:   m.GetHistogram().GetSampleSum(),
				}
			}
		}
	}
	t.Fatalf("no %s series with labels %q", name, labels)
	return sample{}
}

func matches(have map[string]string, pairs []string) bool {
	for i := 0; i+1 < len(pairs); i += 2 {
		if have[pairs[i]] != pairs[i+1] {
			return false
		}
	}
	return true
}
