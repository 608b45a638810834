package main

import (
	"testing"
	"time"

	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
)

func TestLimitAllows(t *testing.T) {
	documented := dcfake.DocumentedRateLimits()
	for _, tc := range []struct {
		name   string
		calls  int
		limits []dcfake.RateLimit
		want   time.Duration
	}{
		{"the issue's case: 1000 orders and the issuer's check", 1001, documented, 300300 * time.Millisecond},
		{"the slowest limit rules, whatever its place", 1000, []dcfake.RateLimit{documented[1], documented[0]}, 300 * time.Second},
		{"a short window that is the slowest", 20, []dcfake.RateLimit{{Requests: 2, Window: time.Second}, {Requests: 1000, Window: time.Minute}}, 10 * time.Second},
		{"the quick run's scaled limits", 41, scaledLimits, 12300 * time.Millisecond},
	} {
		if got := limitAllows(tc.calls, tc.limits); got != tc.want {
			t.Errorf("%s: limitAllows(%d, %v) = %s, want %s", tc.name, tc.calls, tc.limits, got, tc.want)
		}
	}
}

func TestParseFlagsRateLimitPhase(t *testing.T) {
	c, err := parseFlags(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.limitN != 1000 || limitsText(c.caLimits) != "100/5s,1000/5m0s" || c.digiCertLimits() != nil {
		t.Errorf("defaults: %d orders, limits %s, limiter override %v; want 1000, DigiCert's documented limits, none", c.limitN, limitsText(c.caLimits), c.digiCertLimits())
	}
	if c, err = parseFlags([]string{"-quick", "-ca-limits", "5/1s"}); err != nil || limitsText(c.caLimits) != "5/1s" || c.digiCertLimits() == nil {
		t.Errorf("-quick -ca-limits 5/1s: limits %s, limiter %v, %v", limitsText(c.caLimits), c.digiCertLimits(), err)
	}
}
