package main

import "testing"

func TestMetricValue(t *testing.T) {
	const text = `# HELP go_memstats_heap_inuse_bytes Number of heap bytes that are in use.
# TYPE go_memstats_heap_inuse_bytes gauge
go_memstats_heap_inuse_bytes 2.1856256e+07
go_memstats_heap_inuse_bytes_total 1
# TYPE workqueue_depth gauge
workqueue_depth{controller="certificaterequest",name="a b}c"} 3
process_resident_memory_bytes	6.5e+07 1700000000000
`
	for _, tc := range []struct {
		name, metric string
		want         float64
		wantErr      bool
	}{
		{"unlabelled gauge in exponent form", "go_memstats_heap_inuse_bytes", 21856256, false},
		{"a longer name sharing the prefix is another metric", "go_memstats_heap_inuse_bytes_total", 1, false},
		{"labels holding a space and a brace", "workqueue_depth", 3, false},
		{"a tab and a timestamp", "process_resident_memory_bytes", 65e6, false},
		{"missing metric", "go_goroutines", 0, true},
		{"the HELP line is not a sample", "HELP", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := metricValue(text, tc.metric)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("metricValue(%q) = %v, %v; want %v, error %v", tc.metric, got, err, tc.want, tc.wantErr)
			}
		})
	}
	for _, bad := range []string{"m{a=\"b\" 1\n", "m\n", "m x\n"} {
		if _, err := metricValue(bad, "m"); err == nil {
			t.Errorf("metricValue(%q) succeeded, want an error", bad)
		}
	}
}
