package provider

import "time"

// The CA/Browser Forum baseline requirements (ballot SC-081) shorten the
// maximum validity of publicly trusted TLS certificates in steps.
var cabfSteps = []struct {
	from time.Time
	days int
}{
	{time.Date(2029, 3, 15, 0, 0, 0, 0, time.UTC), 47},
	{time.Date(2027, 3, 15, 0, 0, 0, 0, time.UTC), 100},
	{time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), 200},
}

// MaxPublicValidity is the longest validity a public CA may give a TLS
// certificate issued at t.
func MaxPublicValidity(t time.Time) time.Duration {
	for _, s := range cabfSteps {
		if !t.Before(s.from) {
			return time.Duration(s.days) * 24 * time.Hour
		}
	}
	return 398 * 24 * time.Hour
}
