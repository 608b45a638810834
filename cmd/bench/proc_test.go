package main

import "testing"

func TestCPUInfo(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		model      string
		count      int
	}{
		{"two x86 CPUs", "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n",
			"Intel(R) Xeon(R) CPU @ 2.20GHz", 2},
		{"ARM without a model name", "processor\t: 0\nBogoMIPS\t: 50.00\n\nprocessor\t: 1\nBogoMIPS\t: 50.00\n", "", 2},
		{"the first model name wins", "processor : 0\nmodel name : A\nprocessor : 1\nmodel name : B\n", "A", 2},
		{"empty", "", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			model, count := cpuInfo(tc.text)
			if model != tc.model || count != tc.count {
				t.Errorf("cpuInfo = %q, %d; want %q, %d", model, count, tc.model, tc.count)
			}
		})
	}
}

func TestKiBField(t *testing.T) {
	const meminfo = "MemTotal:       24523456 kB\nMemFree:        18000000 kB\n"
	const status = "Name:\tcertorder\nVmPeak:\t 1300000 kB\nVmRSS:\t   61234 kB\nThreads:\t12\n"
	for _, tc := range []struct {
		name, text, key string
		want            uint64
		wantErr         bool
	}{
		{"MemTotal of /proc/meminfo", meminfo, "MemTotal", 24523456 * 1024, false},
		{"VmRSS of /proc/<pid>/status", status, "VmRSS", 61234 * 1024, false},
		{"a key is matched whole, not as a prefix", "VmRSSx: 1 kB\nVmRSS: 2 kB\n", "VmRSS", 2048, false},
		{"missing key", status, "MemTotal", 0, true},
		{"no unit", status, "Threads", 0, true},
		{"not a number", "VmRSS: lots kB\n", "VmRSS", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := kibField(tc.text, tc.key)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("kibField(%q) = %d, %v; want %d, error %v", tc.key, got, err, tc.want, tc.wantErr)
			}
		})
	}
}
