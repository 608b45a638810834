package main

import (
	"slices"
	"testing"
)

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

func TestMetricSamples(t *testing.T) {
	const text = `# TYPE leader_election_master_status gauge
leader_election_master_status{name="certorder.dev"} 1
leader_election_master_status_total 7
# TYPE workqueue_depth gauge
workqueue_depth{controller="certificaterequests",name="certificaterequests"} 3
workqueue_depth{controller="digicertissuer",name="digicertissuer"} 0
`
	for _, tc := range []struct {
		name, metric string
		want         []sample
	}{
		{"one labelled sample; a longer name is another metric", leaderGauge, []sample{{`name="certorder.dev"`, 1}}},
		{"every sample, in order", "workqueue_depth", []sample{
			{`controller="certificaterequests",name="certificaterequests"`, 3},
			{`controller="digicertissuer",name="digicertissuer"`, 0},
		}},
		{"none before leader election registers its lease", "go_goroutines", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := metricSamples(text, tc.metric)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("metricSamples(%q) = %v, %v; want %v", tc.metric, got, err, tc.want)
			}
		})
	}
	if _, err := metricSamples("m{a=\"b\" 1\n", "m"); err == nil {
		t.Error("metricSamples of unterminated labels succeeded, want an error")
	}
}
