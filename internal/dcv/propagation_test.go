package dcv_test

import (
	"context"
	"testing"
)

func TestPropagationCountsNameservers(t *testing.T) {
	a := zone(t, "ns1.example.com", "ns2.example.com")
	b := zone(t, "ns1.example.com", "ns2.example.com")
	p := propagationOn(a, b)
	tests := []struct {
		name         string
		onA, onB     []string
		found, total int
	}{
		{"nowhere", nil, nil, 0, 2},
		{"on one of two", []string{"tok"}, nil, 1, 2},
		{"another value does not count", []string{"other"}, []string{"tok", "other"}, 1, 2},
		{"everywhere", []string{"tok"}, []string{"tok"}, 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a.SetTXT("_dnsauth.example.com", tt.onA...)
			b.SetTXT("_dnsauth.example.com", tt.onB...)
			seen, err := p.Check(context.Background(), "_dnsauth.example.com", "tok")
			if err != nil {
				t.Fatal(err)
			}
			if seen.Found != tt.found || seen.Total != tt.total {
				t.Fatalf("seen %s, want %d of %d", seen, tt.found, tt.total)
			}
			if seen.Complete() != (tt.found == tt.total) {
				t.Fatalf("Complete() = %v", seen.Complete())
			}
		})
	}
}

func TestPropagationUnreachableNameserverCountsAsMissing(t *testing.T) {
	a := zone(t, "ns1.example.com", "ns2.example.com")
	a.SetTXT("_dnsauth.example.com", "tok")
	seen, err := propagationOn(a).Check(context.Background(), "_dnsauth.example.com", "tok")
	if err != nil {
		t.Fatal(err)
	}
	if seen.Found != 1 || seen.Total != 2 {
		t.Fatalf("seen %s, want 1 of 2", seen)
	}
}
