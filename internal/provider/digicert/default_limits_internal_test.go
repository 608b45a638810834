package digicert

import (
	"slices"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/digicert/fake"
)

// TestDefaultLimiterKeepsDocumentedLimits drives the limiter a Factory
// gives an API key by default at virtual instants, as hard as each pattern
// can, for 30 minutes, and checks every rolling window of CertCentral's
// documented limits: no 5 s holds more than 100 calls, no 300 s more than
// 1000. A token bucket lets through its burst plus rate x T calls in any
// T, so only a rate of (1000 - burst) / 300 s keeps a saturated key under
// 1000 per 5 minutes.
func TestDefaultLimiterKeepsDocumentedLimits(t *testing.T) {
	const run = 30 * time.Minute
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.Add(run)
	tests := []struct {
		name string
		// drive returns the instants at which lim let calls through.
		drive func(lim *rate.Limiter) []time.Time
	}{
		{
			name: "saturated from a full bucket: each call reserved as the one before it is sent",
			drive: func(lim *rate.Limiter) []time.Time {
				var sent []time.Time
				for at := start; at.Before(end); {
					at = at.Add(lim.ReserveN(at, 1).DelayFrom(at))
					sent = append(sent, at)
				}
				return sent
			},
		},
		{
			name: "bursts: every 5 s, every token there is, at once",
			drive: func(lim *rate.Limiter) []time.Time {
				var sent []time.Time
				for at := start; at.Before(end); at = at.Add(5 * time.Second) {
					for lim.AllowN(at, 1) {
						sent = append(sent, at)
					}
				}
				return sent
			},
		},
		{
			name: "deferrals: 10 calls a second, those that would wait over MaxLimiterWait cancelled",
			drive: func(lim *rate.Limiter) []time.Time {
				var sent []time.Time
				for at := start; at.Before(end); at = at.Add(time.Second) {
					for range 10 {
						r := lim.ReserveN(at, 1)
						if d := r.DelayFrom(at); d <= provider.MaxLimiterWait {
							sent = append(sent, at.Add(d))
							continue
						}
						r.CancelAt(at)
					}
				}
				slices.SortFunc(sent, func(a, b time.Time) int { return a.Compare(b) })
				return sent
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := NewFactory().limiters.For([]byte("an API key"))
			sent := tt.drive(lim.Limiter)
			if least := int(run.Seconds() * float64(DefaultRate) * 0.9); len(sent) < least {
				t.Fatalf("only %d calls in %s; the pattern does not saturate the limiter", len(sent), run)
			}
			for _, rl := range fake.DocumentedRateLimits() {
				if most, at := busiestWindow(sent, rl.Window); most > rl.Requests {
					t.Errorf("%d calls in the %s from %s; CertCentral allows %d", most, rl.Window, at.Sub(start), rl.Requests)
				}
			}
		})
	}
}

// busiestWindow is the most calls of sent, in order, that any closed
// window of length w holds, and where the first such window starts.
func busiestWindow(sent []time.Time, w time.Duration) (most int, from time.Time) {
	first := 0
	for last, at := range sent {
		for at.Sub(sent[first]) > w {
			first++
		}
		if n := last - first + 1; n > most {
			most, from = n, sent[first]
		}
	}
	return most, from
}
