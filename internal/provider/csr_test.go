package provider_test

import (
	"encoding/pem"
	"strings"
	"testing"

	"github.com/certorder/certorder/internal/provider"
	tu "github.com/certorder/certorder/internal/testutil"
)

func mustDER(t *testing.T, p []byte) []byte {
	t.Helper()
	b, _ := pem.Decode(p)
	if b == nil {
		t.Fatal("no PEM")
	}
	return b.Bytes
}

func TestSameCSR(t *testing.T) {
	a := tu.CSRPEM(tu.WithCommonName("a.example.com"))
	b := tu.CSRPEM(tu.WithCommonName("a.example.com"))
	for _, tc := range []struct {
		name string
		x, y []byte
		want bool
	}{
		{"identical", a, a, true},
		{"CRLF and surrounding space", a, []byte("\n  " + strings.ReplaceAll(string(a), "\n", "\r\n") + "\r\n"), true},
		{"another key, same names", a, b, false},
		{"garbage", a, []byte("garbage"), false},
		{"both garbage", []byte("x"), []byte("x"), false},
	} {
		if got := provider.SameCSR(tc.x, tc.y); got != tc.want {
			t.Errorf("%s: SameCSR = %v, want %v", tc.name, got, tc.want)
		}
	}
}
