package provider_test

import (
	"strings"
	"testing"

	"github.com/certorder/certorder/internal/provider"
)

func TestCheckURL(t *testing.T) {
	for _, tc := range []struct {
		raw, wantErr string
	}{
		{raw: "https://www.digicert.com/services/v2"},
		{raw: "https://api.openprovider.eu/v1beta"},
		{raw: "http://127.0.0.1:8443/services/v2"},
		{raw: "http://127.9.9.9/x"},
		{raw: "http://[::1]:9/v"},
		{raw: "http://127.attacker.example/services/v2", wantErr: "must use https"},
		{raw: "http://localhost:8080/x", wantErr: "must use https"},
		{raw: "http://169.254.169.254/latest", wantErr: "must use https"},
		{raw: "http://10.0.0.1/x", wantErr: "must use https"},
		{raw: "http://[::ffff:127.0.0.1]/x", wantErr: "must use https"},
		{raw: "http://0.0.0.0/x", wantErr: "must use https"},
		{raw: "ftp://www.digicert.com/x", wantErr: "must use https"},
		{raw: "https://www.digicert.com/services/v2?x=", wantErr: "no query"},
		{raw: "https://www.digicert.com/services/v2?", wantErr: "no query"},
		{raw: "https://www.digicert.com/services/v2#", wantErr: "no query"},
		{raw: "https://www.digicert.com/services/v2#frag", wantErr: "no query"},
		{raw: "https://user:pw@www.digicert.com/services/v2", wantErr: "user info"},
		{raw: "https://www.digicert.com@evil.example/services/v2", wantErr: "user info"},
		{raw: "https:///services/v2", wantErr: "no host"},
		{raw: "www.digicert.com/services/v2", wantErr: "no host"},
		{raw: "https://www.digicert.com/%zz", wantErr: "not a URL"},
	} {
		_, err := provider.CheckURL("url", tc.raw)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.raw, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: got %v, want an error containing %q", tc.raw, err, tc.wantErr)
		}
	}
}

func TestCheckHost(t *testing.T) {
	allowed := []string{"www.digicert.com", "certcentral.digicert.eu"}
	for _, tc := range []struct {
		raw  string
		want bool
	}{
		{"https://www.digicert.com/services/v2", true},
		{"https://WWW.DigiCert.com:443/services/v2", true},
		{"https://certcentral.digicert.eu/services/v2", true},
		{"http://127.0.0.1:9/services/v2", true},
		{"http://[::1]:9/services/v2", true},
		{"https://127.0.0.1:9/services/v2", false},
		{"https://digicert.com.evil.example/services/v2", false},
		{"https://169.254.169.254/latest", false},
		{"https://kubernetes.default.svc/api", false},
	} {
		u, err := provider.CheckURL("url", tc.raw)
		if err != nil {
			t.Fatalf("%s: %v", tc.raw, err)
		}
		err = provider.CheckHost("url", u, allowed)
		if got := err == nil; got != tc.want {
			t.Errorf("%s: allowed=%v (%v), want %v", tc.raw, got, err, tc.want)
		}
		if err != nil && !strings.Contains(err.Error(), "--namespaced-issuer-allowed-hosts") {
			t.Errorf("%s: the error does not say how to allow the host: %v", tc.raw, err)
		}
	}
}
