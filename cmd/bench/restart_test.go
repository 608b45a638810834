package main

import (
	"maps"
	"slices"
	"testing"
)

func TestChanged(t *testing.T) {
	for _, tc := range []struct {
		name          string
		before, after map[string]string
		want          []string
	}{
		{"nothing written", map[string]string{"a": "1", "b": "2"}, map[string]string{"a": "1", "b": "2"}, nil},
		{"a new resourceVersion, sorted", map[string]string{"b": "2", "a": "1", "c": "3"}, map[string]string{"a": "4", "b": "2", "c": "5"}, []string{"a", "c"}},
		{"deleted counts", map[string]string{"a": "1", "b": "2"}, map[string]string{"a": "1"}, []string{"b"}},
		{"added does not count", map[string]string{"a": "1"}, map[string]string{"a": "1", "b": "2"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := changed(tc.before, tc.after); !slices.Equal(got, tc.want) {
				t.Errorf("changed = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCostSince(t *testing.T) {
	const fresh = "CertificateRequest/new"
	before := clusterState{
		calls:   map[string]int{userMe: 2, "POST /order/certificate/{product_name_id}": 100},
		orders:  100,
		objects: map[string]string{"CertificateRequest/a": "1", "CertificateOrder/a-x": "2", fresh: "3"},
		events:  map[string]string{"e1": "4"}, regarding: map[string]string{"e1": "CertificateRequest/a"},
	}
	quiet := clusterState{
		calls:     map[string]int{userMe: 4, "POST /order/certificate/{product_name_id}": 101},
		orders:    101,
		objects:   map[string]string{"CertificateRequest/a": "1", "CertificateOrder/a-x": "2", fresh: "9", "CertificateOrder/new-x": "10"},
		events:    map[string]string{"e1": "4", "e2": "11"},
		regarding: map[string]string{"e1": "CertificateRequest/a", "e2": fresh},
	}
	busy := clusterState{
		calls:     map[string]int{userMe: 4, "POST /order/certificate/{product_name_id}": 101, "GET /order/certificate/{order_id}": 1},
		orders:    101,
		objects:   map[string]string{"CertificateRequest/a": "12", fresh: "9"},
		events:    map[string]string{"e1": "13", "e2": "11", "e3": "14"},
		regarding: map[string]string{"e1": "CertificateRequest/a", "e2": fresh, "e3": "CertificateOrder/a-x"},
	}
	for _, tc := range []struct {
		name                      string
		after                     clusterState
		userMe, newOrders, beyond int
		changed, events           []string
		allEvents, writes         int
	}{
		{"the new request's own work is all", quiet, 2, 1, 0, nil, nil, 1, 0},
		{"a lookup, a status write, a deleted ledger and Events about both", busy, 2, 1, 1,
			[]string{"CertificateOrder/a-x", "CertificateRequest/a"}, []string{"CertificateOrder/a-x", "CertificateRequest/a"}, 3, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.after.costSince(before, fresh)
			if c.userMe != tc.userMe || c.newOrders != tc.newOrders || c.beyond != tc.beyond {
				t.Errorf("calls: /user/me %d, new orders %d, beyond %d; want %d, %d, %d", c.userMe, c.newOrders, c.beyond, tc.userMe, tc.newOrders, tc.beyond)
			}
			if !slices.Equal(c.changed, tc.changed) || !slices.Equal(c.events, tc.events) {
				t.Errorf("changed %v, events %v; want %v, %v", c.changed, c.events, tc.changed, tc.events)
			}
			if c.held != 2 || c.allEvents != tc.allEvents || c.writes() != tc.writes {
				t.Errorf("held %d, all Events %d, writes %d; want 2, %d, %d", c.held, c.allEvents, c.writes(), tc.allEvents, tc.writes)
			}
		})
	}
	if _, ok := before.objects[fresh]; !ok || !maps.Equal(before.calls, map[string]int{userMe: 2, "POST /order/certificate/{product_name_id}": 100}) {
		t.Error("costSince changed its argument")
	}
}

func TestLeadingAndTotal(t *testing.T) {
	for _, tc := range []struct {
		name    string
		samples []sample
		leading bool
		total   float64
	}{
		{"not registered yet", nil, false, 0},
		{"standing by", []sample{{`name="certorder.dev"`, 0}}, false, 0},
		{"leading", []sample{{`name="certorder.dev"`, 1}}, true, 1},
		{"queues with work", []sample{{"a", 0}, {"b", 3}, {"c", 2}}, false, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := leading(tc.samples); got != tc.leading {
				t.Errorf("leading = %v, want %v", got, tc.leading)
			}
			if got := total(tc.samples); got != tc.total {
				t.Errorf("total = %v, want %v", got, tc.total)
			}
		})
	}
}

func TestFirstFew(t *testing.T) {
	for _, tc := range []struct {
		names []string
		want  string
	}{
		{[]string{"a"}, "a"},
		{[]string{"a", "b", "c", "d", "e"}, "a, b, c, d, e"},
		{[]string{"a", "b", "c", "d", "e", "f", "g"}, "a, b, c, d, e and 2 more"},
	} {
		if got := firstFew(tc.names); got != tc.want {
			t.Errorf("firstFew(%v) = %q, want %q", tc.names, got, tc.want)
		}
	}
}

func TestRestartFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{nil, true},
		{[]string{"-quick"}, true},
		{[]string{"-restart=false"}, false},
		{[]string{"-quick", "-restart=false"}, false},
	} {
		c, err := parseFlags(tc.args)
		if err != nil || c.restart != tc.want {
			t.Errorf("parseFlags(%q): restart %v, %v; want %v", tc.args, c.restart, err, tc.want)
		}
	}
}
