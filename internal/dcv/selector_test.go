package dcv

import (
	"testing"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
)

func TestSelects(t *testing.T) {
	zones := &v1alpha1.DCVSelector{DNSZones: []string{"example.com"}}
	names := &v1alpha1.DCVSelector{DNSNames: []string{"a.example.org", "*.wild.example.org"}}
	both := &v1alpha1.DCVSelector{DNSZones: []string{"example.com"}, DNSNames: []string{"only.example.net"}}
	tests := []struct {
		name   string
		sel    *v1alpha1.DCVSelector
		domain string
		want   bool
	}{
		{"nil selector picks all", nil, "anything.test", true},
		{"empty selector picks all", &v1alpha1.DCVSelector{}, "anything.test", true},
		{"zone apex", zones, "example.com", true},
		{"below zone", zones, "www.Example.COM.", true},
		{"suffix is not a zone", zones, "notexample.com", false},
		{"other zone", zones, "example.org", false},
		{"exact name", names, "a.example.org", true},
		{"name does not cover subdomain", names, "b.a.example.org", false},
		{"wildcard covers its base domain", names, "wild.example.org", true},
		{"either rule", both, "only.example.net", true},
		{"neither rule", both, "other.example.net", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Selects(tt.sel, tt.domain); got != tt.want {
				t.Errorf("Selects(%q) = %v, want %v", tt.domain, got, tt.want)
			}
		})
	}
}
