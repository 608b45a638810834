package main

import (
	"strings"
	"testing"
)

func TestSummaryExitCode(t *testing.T) {
	for _, tc := range []struct {
		name   string
		checks []check
		want   int
	}{
		{"nothing measured", nil, exitHolds},
		{"all hold", []check{{holds: true, judged: true}, {holds: true, judged: true}}, exitHolds},
		{"one misses", []check{{holds: true, judged: true}, {holds: false, judged: true}}, exitMiss},
		{"a miss not judged", []check{{holds: true, judged: true}, {holds: false, judged: false}}, exitHolds},
	} {
		s := summary{checks: tc.checks}
		if got := s.exitCode(); got != tc.want {
			t.Errorf("%s: exit %d, want %d", tc.name, got, tc.want)
		}
	}
	if exitHolds == exitMiss || exitMiss == exitError || exitHolds == exitError {
		t.Error("the exit codes are not distinct")
	}
}

func TestSummaryPrint(t *testing.T) {
	var s summary
	s.add("throughput ratio", "0.90x", "at most 1.00x", true, true)
	s.add("RSS", "120.0 MiB", "at most 100.0 MiB", false, true)
	s.add("quick figure", "3", "at most 2", false, false)
	var out strings.Builder
	if err := s.print(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"throughput ratio   0.90x", "yes", "NO", "not judged"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the summary does not say %q:\n%s", want, out.String())
		}
	}
}

func TestParseFlagsQuick(t *testing.T) {
	c, err := parseFlags([]string{"-quick", "-n", "7"})
	if err != nil {
		t.Fatal(err)
	}
	if !c.quick || c.memoryN[0] != quickDefaults.memoryN[0] || c.n[0] != 7 {
		t.Errorf("-quick -n 7 gave %+v: want the quick defaults with n 7", c)
	}
	if c, err = parseFlags([]string{"-phases", "memory"}); err != nil || !c.runs(phaseMemory) || c.runs(phaseThroughput) {
		t.Errorf("-phases memory gave %v, %v", c.phases, err)
	}
	if _, err := parseFlags([]string{"-phases", "memory,speed"}); err == nil {
		t.Error("an unknown phase was accepted")
	}
}
