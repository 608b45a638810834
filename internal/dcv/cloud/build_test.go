package cloud

import (
	"context"
	"slices"
	"strings"
	"testing"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"

	"github.com/certorder/certorder/internal/dcv"
	"github.com/certorder/certorder/internal/dcv/helperapi"
)

func ref(name string) cmmeta.SecretKeySelector {
	return cmmeta.SecretKeySelector{LocalObjectReference: cmmeta.LocalObjectReference{Name: name}, Key: "k"}
}

func TestBuildServesTheSecretBackedProviders(t *testing.T) {
	secrets := map[string]string{"do/k": "token", "cf/k": "cf-token", "aws/k": "secret-key", "acme/k": `{"example.com":{"username":"u","password":"p","subdomain":"s"}}`}
	cf, aws := ref("cf"), ref("aws")
	for name, cfg := range map[string]*cmacme.ACMEChallengeSolverDNS01{
		"digitalocean": {DigitalOcean: &cmacme.ACMEIssuerDNS01ProviderDigitalOcean{Token: ref("do")}},
		"cloudflare":   {Cloudflare: &cmacme.ACMEIssuerDNS01ProviderCloudflare{APIToken: &cf}},
		"route53":      {Route53: &cmacme.ACMEIssuerDNS01ProviderRoute53{AccessKeyID: "AKIA", SecretAccessKey: aws, Region: "eu-west-1"}},
		"acmeDNS":      {AcmeDNS: &cmacme.ACMEIssuerDNS01ProviderAcmeDNS{Host: "https://acme-dns.example", AccountSecret: ref("acme")}},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := build(context.Background(), helperapi.Request{Provider: name, DNS01: cfg, Secrets: secrets})
			if err != nil || s == nil {
				t.Fatalf("Build: %v", err)
			}
		})
	}
}

func TestRunRefusesWhatItCannotServe(t *testing.T) {
	do := &cmacme.ACMEChallengeSolverDNS01{DigitalOcean: &cmacme.ACMEIssuerDNS01ProviderDigitalOcean{Token: ref("do")}}
	tests := []struct {
		name string
		req  helperapi.Request
		want string
	}{
		{"no block", helperapi.Request{Provider: "digitalocean"}, "no dns01 block"},
		{"unknown provider", helperapi.Request{Provider: "rfc2136", DNS01: do}, `"rfc2136" is not a provider of certorder-dns01`},
		{"secret not in the request", helperapi.Request{Provider: "digitalocean", DNS01: do}, "no value for Secret do key k"},
		{"unknown action", helperapi.Request{Action: "publish", Provider: "digitalocean", DNS01: do, Secrets: map[string]string{"do/k": "token"}}, `unknown action "publish"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Run(context.Background(), tt.req)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestServesWhatTheControllerSends proves the controller sends the helper
// exactly the providers it serves.
func TestServesWhatTheControllerSends(t *testing.T) {
	got, want := Names(), dcv.HelperProviders()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("certorder-dns01 serves %v; the controller sends it %v", got, want)
	}
}
