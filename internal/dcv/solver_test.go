package dcv_test

import (
	"context"
	"strings"
	"testing"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/dcv"
)

func TestBuildRefusesWhatItCannotServe(t *testing.T) {
	ref := &cmmeta.SecretKeySelector{LocalObjectReference: cmmeta.LocalObjectReference{Name: "cf"}, Key: "k"}
	tests := []struct {
		name string
		cfg  *cmacme.ACMEChallengeSolverDNS01
		want string
	}{
		{"no block", nil, "no dns01 block"},
		{"no provider", &cmacme.ACMEChallengeSolverDNS01{}, "names no provider"},
		{"webhook", &cmacme.ACMEChallengeSolverDNS01{Webhook: &cmacme.ACMEIssuerDNS01ProviderWebhook{GroupName: "x", SolverName: "y"}}, "webhook solvers are not supported"},
		{"cloudflare with key and token", &cmacme.ACMEChallengeSolverDNS01{Cloudflare: &cmacme.ACMEIssuerDNS01ProviderCloudflare{APIKey: ref, APIToken: ref}}, "exactly one of"},
		{"route53 service account auth", &cmacme.ACMEChallengeSolverDNS01{Route53: &cmacme.ACMEIssuerDNS01ProviderRoute53{Auth: &cmacme.Route53Auth{Kubernetes: &cmacme.Route53KubernetesAuth{}}}}, "auth.kubernetes"},
		{"missing secret", &cmacme.ACMEChallengeSolverDNS01{DigitalOcean: &cmacme.ACMEIssuerDNS01ProviderDigitalOcean{Token: *ref}}, "secret cf has no key k"},
		{"rfc2136 without nameserver", &cmacme.ACMEChallengeSolverDNS01{RFC2136: &cmacme.ACMEIssuerDNS01ProviderRFC2136{}}, "dns01 rfc2136"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dcv.Build(context.Background(), tt.cfg, dcv.BuildOptions{Secrets: secretsOf(nil)})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestBuildServesTheSecretBackedProviders builds the helper's providers:
// their Secrets are read, and no process starts.
func TestBuildServesTheSecretBackedProviders(t *testing.T) {
	ref := func(name string) cmmeta.SecretKeySelector {
		return cmmeta.SecretKeySelector{LocalObjectReference: cmmeta.LocalObjectReference{Name: name}, Key: "k"}
	}
	secrets := secretsOf(map[string]string{"do/k": "token", "cf/k": "cf-token", "aws/k": "secret-key"})
	cf, aws := ref("cf"), ref("aws")
	for name, cfg := range map[string]*cmacme.ACMEChallengeSolverDNS01{
		"digitalocean": {DigitalOcean: &cmacme.ACMEIssuerDNS01ProviderDigitalOcean{Token: ref("do")}},
		"cloudflare":   {Cloudflare: &cmacme.ACMEIssuerDNS01ProviderCloudflare{APIToken: &cf}},
		"route53":      {Route53: &cmacme.ACMEIssuerDNS01ProviderRoute53{AccessKeyID: "AKIA", SecretAccessKey: aws, Region: "eu-west-1"}},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := dcv.Build(context.Background(), cfg, dcv.BuildOptions{Secrets: secrets})
			if err != nil || s == nil {
				t.Fatalf("Build: %v", err)
			}
		})
	}
}

func TestRFC2136SolverPublishesAndRemoves(t *testing.T) {
	z := zone(t)
	s := buildSolver(t, rfc2136(z), tsigSecret)
	ctx := context.Background()
	for range 2 {
		if err := s.Present(ctx, "example.com", "_dnsauth.example.com.", "tok"); err != nil {
			t.Fatal(err)
		}
	}
	if got := z.TXT("_dnsauth.example.com"); len(got) != 1 || got[0] != "tok" {
		t.Fatalf("after presenting twice: %v, want [tok]", got)
	}
	if err := s.CleanUp(ctx, "example.com", "_dnsauth.example.com.", "tok"); err != nil {
		t.Fatal(err)
	}
	if got := z.TXT("_dnsauth.example.com"); len(got) != 0 {
		t.Fatalf("after cleanup: %v", got)
	}
}

func TestRFC2136WrongTSIGIsExplained(t *testing.T) {
	z := zone(t)
	s := buildSolver(t, rfc2136(z), "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==")
	err := s.Present(context.Background(), "example.com", "_dnsauth.example.com.", "tok")
	if err == nil || !strings.Contains(err.Error(), "NOTAUTH") || !strings.Contains(err.Error(), "TSIG") {
		t.Fatalf("got %v, want a NOTAUTH error that points at the TSIG key", err)
	}
	if applied, refused := z.Updates(); applied != 0 || refused != 1 {
		t.Fatalf("applied %d refused %d", applied, refused)
	}
}

func TestNewRunnerFromTheIssuerBlock(t *testing.T) {
	z := zone(t)
	sel := &v1alpha1.DCVSelector{DNSZones: []string{"example.com"}}
	opts := dcv.BuildOptions{Secrets: secretsOf(map[string]string{"tsig/secret": tsigSecret}), Nameservers: []string{z.Addr}}
	r, err := dcv.NewRunner(context.Background(), "DigiCert", &v1alpha1.DCV{DNS01: rfc2136(z), Selector: sel}, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	if r.CA != "DigiCert" || r.Selector != sel || r.Propagation.Nameservers[0] != z.Addr {
		t.Fatalf("runner %+v", r)
	}
	if err := r.Solver.Present(context.Background(), "example.com", "_dnsauth.example.com.", "v"); err != nil {
		t.Fatal(err)
	}
	if _, err := dcv.NewRunner(context.Background(), "DigiCert", &v1alpha1.DCV{}, nil, opts); err == nil {
		t.Fatal("a dcv block without dns01 built a runner")
	}
}
