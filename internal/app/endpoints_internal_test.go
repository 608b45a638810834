package app

import (
	"context"
	"errors"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
	"github.com/certorder/certorder/internal/provider"
)

func TestGuardEndpoints(t *testing.T) {
	dc := func(namespace, url, proxy string) controllers.Issuer {
		spec := v1alpha1.DigiCertIssuerSpec{URL: url}
		spec.ProxyURL = proxy
		if namespace == "" {
			return &v1alpha1.DigiCertClusterIssuer{Spec: spec}
		}
		return &v1alpha1.DigiCertIssuer{ObjectMeta: metav1.ObjectMeta{Namespace: namespace}, Spec: spec}
	}
	op := func(namespace, url string) controllers.Issuer {
		spec := v1alpha1.OpenproviderIssuerSpec{URL: url}
		if namespace == "" {
			return &v1alpha1.OpenproviderClusterIssuer{Spec: spec}
		}
		return &v1alpha1.OpenproviderIssuer{ObjectMeta: metav1.ObjectMeta{Namespace: namespace}, Spec: spec}
	}
	allowed := []string{"ca-mirror.corp.example", "proxy.corp.example"}
	for _, tc := range []struct {
		name    string
		issuer  controllers.Issuer
		wantErr string
	}{
		{name: "namespaced, default url", issuer: dc("team", "", "")},
		{name: "namespaced, DigiCert US", issuer: dc("team", "https://www.digicert.com/services/v2", "")},
		{name: "namespaced, DigiCert Europe", issuer: dc("team", "https://certcentral.digicert.eu/services/v2", "")},
		{name: "namespaced, Openprovider", issuer: op("team", "https://api.openprovider.eu/v1beta")},
		{name: "namespaced, local fake", issuer: dc("team", "http://127.0.0.1:8443/services/v2", "")},
		{name: "namespaced, operator-allowed host", issuer: dc("team", "https://ca-mirror.corp.example/services/v2", "")},
		{name: "namespaced, operator-allowed proxy", issuer: dc("team", "", "http://proxy.corp.example:3128")},
		{name: "namespaced, cloud metadata", issuer: dc("team", "https://169.254.169.254/latest", ""), wantErr: "not allowed for a namespaced issuer"},
		{name: "namespaced, attacker host", issuer: dc("team", "https://collector.attacker.example/services/v2", ""), wantErr: "not allowed for a namespaced issuer"},
		{name: "namespaced, the other CA's host", issuer: op("team", "https://www.digicert.com/v1beta"), wantErr: "not allowed for a namespaced issuer"},
		{name: "namespaced, attacker proxy", issuer: dc("team", "", "http://proxy.attacker.example:3128"), wantErr: "proxyURL host"},
		{name: "namespaced, official host as proxy", issuer: dc("team", "", "https://www.digicert.com"), wantErr: "proxyURL host"},
		{name: "cluster, any https host", issuer: dc("", "https://collector.corp.example/services/v2", "http://proxy.anywhere.example:3128")},
		{name: "cluster, Openprovider mirror", issuer: op("", "https://op-mirror.corp.example/v1beta")},
		{name: "cluster, loopback name", issuer: dc("", "http://127.attacker.example/services/v2", ""), wantErr: "must use https"},
		{name: "cluster, query", issuer: op("", "https://api.openprovider.eu/v1beta?x="), wantErr: "no query"},
		{name: "cluster, proxy user info", issuer: dc("", "", "http://u:p@proxy:3128"), wantErr: "user info"},
		{name: "namespaced, fragment", issuer: dc("team", "https://www.digicert.com/services/v2#", ""), wantErr: "no query"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			built := false
			build := guardEndpoints(allowed, func(context.Context, controllers.Issuer, provider.SecretReader) (provider.Provider, error) {
				built = true
				return nil, errors.New("built")
			})
			_, err := build(context.Background(), tc.issuer, nil)
			if tc.wantErr == "" {
				if !built {
					t.Errorf("refused: %v", err)
				}
				return
			}
			if built || err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("built=%v, err=%v; want refused before the provider is built, with %q", built, err, tc.wantErr)
			}
		})
	}
}

func TestParseAllowedHosts(t *testing.T) {
	got, err := ParseAllowedHosts(" CA.Corp.example, ,proxy.corp.example")
	if err != nil || strings.Join(got, ",") != "ca.corp.example,proxy.corp.example" {
		t.Errorf("got %q, %v", got, err)
	}
	for _, bad := range []string{"https://ca.example", "ca.example:443", "ca.example/path", "u@ca.example"} {
		if _, err := ParseAllowedHosts(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
