package provider_test

import (
	"encoding/base64"
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

// rewrap re-encodes a PEM block with another line width and indentation.
func rewrap(t *testing.T, p []byte, width int, indent string) []byte {
	t.Helper()
	b64 := base64.StdEncoding.EncodeToString(mustDER(t, p))
	out := "-----BEGIN CERTIFICATE REQUEST-----\r\n"
	for len(b64) > width {
		out += indent + b64[:width] + "\r\n"
		b64 = b64[width:]
	}
	return []byte(out + indent + b64 + "\r\n-----END CERTIFICATE REQUEST-----")
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
		{"one line, as Openprovider echoes it", a, []byte(strings.ReplaceAll(string(a), "\n", "")), true},
		{"rewrapped at 76 and indented", a, rewrap(t, a, 76, "    "), true},
		{"another key, same names", a, b, false},
		{"a certificate block", a, []byte(strings.ReplaceAll(string(a), "CERTIFICATE REQUEST", "CERTIFICATE")), false},
		{"two requests", a, append(append([]byte{}, a...), a...), false},
		{"garbage", a, []byte("garbage"), false},
		{"both garbage", []byte("x"), []byte("x"), false},
	} {
		if got := provider.SameCSR(tc.x, tc.y); got != tc.want {
			t.Errorf("%s: SameCSR = %v, want %v", tc.name, got, tc.want)
		}
	}
}
