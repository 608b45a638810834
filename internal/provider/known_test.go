package provider

import (
	"crypto/x509"
	"math/big"
	"testing"
	"time"
)

func TestIsRecorded(t *testing.T) {
	known := []string{"4242", "0a1b"}
	tests := []struct {
		name          string
		certificateID string
		serial        string
		want          bool
	}{
		{"known id", "4242", "", true},
		{"known serial", "", "0a1b", true},
		{"new id and serial", "4243", "ff", false},
		{"nothing said", "", "", false},
		{"new id, known serial", "9", "0a1b", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsRecorded(known, tt.certificateID, tt.serial); got != tt.want {
				t.Errorf("IsRecorded(%q, %q) = %v, want %v", tt.certificateID, tt.serial, got, tt.want)
			}
		})
	}
}

func TestPredates(t *testing.T) {
	since := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		notBefore time.Time
		since     time.Time
		skew      time.Duration
		want      bool
	}{
		{"issued after the intent", since.Add(time.Minute), since, time.Hour, false},
		{"issued within the skew", since.Add(-30 * time.Minute), since, time.Hour, false},
		{"issued before the skew", since.Add(-2 * time.Hour), since, time.Hour, true},
		{"no intent recorded", since.Add(-48 * time.Hour), time.Time{}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leaf := &x509.Certificate{NotBefore: tt.notBefore, SerialNumber: big.NewInt(1)}
			if got := Predates(leaf, tt.since, tt.skew); got != tt.want {
				t.Errorf("Predates = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSerialHex(t *testing.T) {
	if got := SerialHex(&x509.Certificate{SerialNumber: big.NewInt(0xa1b)}); got != "a1b" {
		t.Errorf("SerialHex = %q, want a1b", got)
	}
}
