package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestQuickRun runs the bench as `make bench BENCH_FLAGS=-quick` does: every
// phase, at small sizes. It checks that the bench works and prints its
// summary, not the figures.
func TestQuickRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	var out, log strings.Builder
	sum, err := run(ctx, []string{"-quick"}, &out, &log)
	if err != nil {
		t.Fatalf("bench -quick: %v\nprogress:\n%s", err, log.String())
	}
	t.Logf("bench -quick:\n%s", out.String())
	for _, want := range []string{"1-2. Throughput", "3. DigiCert calls", "4. certorder controller memory", "5. At the CA's rate limit", "4b. Restart at scale", "Summary:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output has no %q", want)
		}
	}
	for _, c := range sum.checks {
		if c.judged {
			t.Errorf("-quick judged %q; its figures are not at the targets' sizes", c.figure)
		}
	}
	if sum.exitCode() != exitHolds {
		t.Errorf("-quick exits %d, want %d", sum.exitCode(), exitHolds)
	}
}
