package provider_test

import (
	"errors"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider"
)

func TestPool(t *testing.T) {
	const idle = time.Hour
	// Each step asks for key at the given time after the start; built says
	// whether the pool had to build the value, held how many it holds after.
	type step struct {
		at    time.Duration
		key   string
		built bool
		held  int
	}
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{"a value is built once and reused", []step{
			{0, "a", true, 1}, {time.Minute, "a", false, 1}, {59 * time.Minute, "a", false, 1},
		}},
		{"use keeps a value", []step{
			{0, "a", true, 1}, {50 * time.Minute, "a", false, 1}, {100 * time.Minute, "a", false, 1}, {150 * time.Minute, "a", false, 1},
		}},
		{"a rotated credential's value is forgotten", []step{
			{0, "old", true, 1}, {10 * time.Minute, "new", true, 2}, {50 * time.Minute, "new", false, 2}, {90 * time.Minute, "new", false, 1},
		}},
		{"a forgotten value is built again", []step{
			{0, "a", true, 1}, {2 * idle, "a", true, 1},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
			now := start
			pool := provider.NewPool[*int](idle, func() time.Time { return now })
			builds := 0
			for _, s := range tc.steps {
				now = start.Add(s.at)
				before := builds
				v, err := pool.Get(s.key, func() (*int, error) { builds++; n := builds; return &n, nil })
				if err != nil || v == nil {
					t.Fatalf("at %v, Get(%q): %v, %v", s.at, s.key, v, err)
				}
				if built := builds > before; built != s.built {
					t.Errorf("at %v, Get(%q) built a value: %v, want %v", s.at, s.key, built, s.built)
				}
				if n := pool.Len(); n != s.held {
					t.Errorf("at %v, the pool holds %d values, want %d", s.at, n, s.held)
				}
			}
		})
	}
}

func TestPoolKeepsNoFailedBuild(t *testing.T) {
	pool := provider.NewPool[string](time.Hour, nil)
	if _, err := pool.Get("a", func() (string, error) { return "", errors.New("bad CA bundle") }); err == nil {
		t.Fatal("the build's error was lost")
	}
	v, err := pool.Get("a", func() (string, error) { return "built", nil })
	if err != nil || v != "built" || pool.Len() != 1 {
		t.Errorf("after a failed build, Get = %q, %v with %d held; want a fresh build", v, err, pool.Len())
	}
}
