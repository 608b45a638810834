package main

import (
	"slices"
	"testing"
)

func TestIntList(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    []int
		wantErr bool
	}{
		{"100,1000", []int{100, 1000}, false},
		{" 20 , 5", []int{20, 5}, false},
		{"7", []int{7}, false},
		{"", nil, true},
		{"10,", nil, true},
		{"0", nil, true},
		{"-3", nil, true},
		{"1e3", nil, true},
	} {
		got, err := intList(tc.in)
		if (err != nil) != tc.wantErr || !slices.Equal(got, tc.want) {
			t.Errorf("intList(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestParseFlagsRefusesValuesThatHangOrMislead(t *testing.T) {
	for _, args := range [][]string{
		{"-limiter-rate", "-1"},
		{"-ca-limits", "100/0s"},
		{"-ca-limits", "0/5s"},
		{"-ca-limits", "100"},
		{"-poll-interval", "0s"},
		{"-timeout", "0s"},
		{"-settle", "-1s"},
		{"-memory-n", "100,10"},
		{"-workers", "0"},
	} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("parseFlags(%q) accepted it", args)
		}
	}
	if _, err := parseFlags(nil); err != nil {
		t.Errorf("the defaults are refused: %v", err)
	}
}
