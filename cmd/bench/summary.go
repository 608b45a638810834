package main

import (
	"fmt"
	"io"
)

// Exit codes of the bench.
const (
	exitHolds = 0 // every judged figure meets its target
	exitError = 1 // the bench could not measure
	exitMiss  = 2 // some judged figure misses its target
)

// check is one figure of issue 16's targets, as this run measured it.
type check struct {
	figure, value, target string
	holds                 bool
	// judged is false when the run did not measure the figure at the
	// target's size (-quick, or other flags): it is shown, not judged.
	judged bool
}

// summary collects the checks of a run, in the order the phases made them.
type summary struct{ checks []check }

// add records a figure; it is judged only when atTarget.
func (s *summary) add(figure, value, target string, holds, atTarget bool) {
	s.checks = append(s.checks, check{figure: figure, value: value, target: target, holds: holds, judged: atTarget})
}

// allHold tells whether every judged figure meets its target.
func (s *summary) allHold() bool {
	for _, c := range s.checks {
		if c.judged && !c.holds {
			return false
		}
	}
	return true
}

// exitCode is the bench's exit status for this summary.
func (s *summary) exitCode() int {
	if s.allHold() {
		return exitHolds
	}
	return exitMiss
}

// print writes the summary table.
func (s *summary) print(out io.Writer) error {
	t := newTable("Summary: each figure against its target (issue 16)", "figure", "this run", "target", "holds")
	for _, c := range s.checks {
		verdict := "not judged"
		switch {
		case c.judged && c.holds:
			verdict = "yes"
		case c.judged:
			verdict = "NO"
		}
		t.add(c.figure, c.value, c.target, verdict)
	}
	t.note("Not judged: measured at another size than the target's (-quick, or flags), not measured by this bench, or ruled out by the CA's docs.")
	t.note("Exit status: %d when every judged figure holds, %d when some misses, %d when the bench failed.", exitHolds, exitMiss, exitError)
	return t.print(out)
}

// atMost formats a figure judged against an upper bound.
func atMost(format string, value, bound float64) (text, target string, holds bool) {
	return fmt.Sprintf(format, value), "at most " + fmt.Sprintf(format, bound), value <= bound
}

// atTarget tells whether a figure measured at this size is judged: at the
// target's size, and not in a -quick run.
func (b *bench) atTarget(atSize bool) bool { return atSize && !b.cfg.quick }
