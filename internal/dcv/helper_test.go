package dcv

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"

	"github.com/certorder/certorder/internal/dcv/helperapi"
)

// fakeHelperEnv makes the test binary play certorder-dns01: "record"
// writes its argv and stdin to the file in fakeHelperOut and succeeds,
// "fail" answers an error, "crash" prints to stderr and exits 2.
const (
	fakeHelperEnv = "CERTORDER_TEST_FAKE_DNS01"
	fakeHelperOut = "CERTORDER_TEST_FAKE_DNS01_OUT"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(fakeHelperEnv); mode != "" {
		os.Exit(fakeHelper(mode))
	}
	os.Exit(m.Run())
}

func fakeHelper(mode string) int {
	switch mode {
	case "record":
		in, _ := io.ReadAll(os.Stdin)
		rec, _ := json.Marshal(map[string]any{"argv": os.Args, "stdin": json.RawMessage(in)})
		if err := os.WriteFile(os.Getenv(fakeHelperOut), rec, 0o600); err != nil {
			return 3
		}
		fmt.Println(`{"ok":true}`)
		return 0
	case "fail":
		fmt.Println(`{"ok":false,"error":"zone example.com not found"}`)
		return 1
	default:
		fmt.Fprintln(os.Stderr, "panic: boom")
		return 2
	}
}

func ref(name, key string) cmmeta.SecretKeySelector {
	return cmmeta.SecretKeySelector{LocalObjectReference: cmmeta.LocalObjectReference{Name: name}, Key: key}
}

func ptr[T any](v T) *T { return &v }

// allSecrets answers every Secret reference with "value of name/key".
func allSecrets(_ context.Context, name, key string) ([]byte, error) {
	return []byte(" value of " + helperapi.SecretKey(name, key) + "\n"), nil
}

func TestResolveSecretsFindsEveryProvidersReferences(t *testing.T) {
	tests := []struct {
		name string
		cfg  cmacme.ACMEChallengeSolverDNS01
		want []string
	}{
		{"route53", cmacme.ACMEChallengeSolverDNS01{Route53: &cmacme.ACMEIssuerDNS01ProviderRoute53{SecretAccessKeyID: ptr(ref("aws", "id")), SecretAccessKey: ref("aws", "secret")}}, []string{"aws/id", "aws/secret"}},
		{"cloudDNS", cmacme.ACMEChallengeSolverDNS01{CloudDNS: &cmacme.ACMEIssuerDNS01ProviderCloudDNS{ServiceAccount: ptr(ref("gcp", "key.json"))}}, []string{"gcp/key.json"}},
		{"cloudflare", cmacme.ACMEChallengeSolverDNS01{Cloudflare: &cmacme.ACMEIssuerDNS01ProviderCloudflare{APIKey: ptr(ref("cf", "key")), APIToken: ptr(ref("cf", "token"))}}, []string{"cf/key", "cf/token"}},
		{"azureDNS", cmacme.ACMEChallengeSolverDNS01{AzureDNS: &cmacme.ACMEIssuerDNS01ProviderAzureDNS{ClientID: "id", ClientSecret: ptr(ref("az", "secret"))}}, []string{"az/secret"}},
		{"acmeDNS", cmacme.ACMEChallengeSolverDNS01{AcmeDNS: &cmacme.ACMEIssuerDNS01ProviderAcmeDNS{AccountSecret: ref("acme", "account.json")}}, []string{"acme/account.json"}},
		{"akamai", cmacme.ACMEChallengeSolverDNS01{Akamai: &cmacme.ACMEIssuerDNS01ProviderAkamai{ClientToken: ref("ak", "ct"), ClientSecret: ref("ak", "cs"), AccessToken: ref("ak", "at")}}, []string{"ak/ct", "ak/cs", "ak/at"}},
		{"digitalocean", cmacme.ACMEChallengeSolverDNS01{DigitalOcean: &cmacme.ACMEIssuerDNS01ProviderDigitalOcean{Token: ref("do", "token")}}, []string{"do/token"}},
		{"rfc2136", cmacme.ACMEChallengeSolverDNS01{RFC2136: &cmacme.ACMEIssuerDNS01ProviderRFC2136{TSIGSecret: ref("tsig", "secret")}}, []string{"tsig/secret"}},
		{"unnamed references are skipped", cmacme.ACMEChallengeSolverDNS01{Route53: &cmacme.ACMEIssuerDNS01ProviderRoute53{Region: "eu-west-1"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := resolveSecrets(context.Background(), BuildOptions{Secrets: allSecrets}, &tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{}
			for _, k := range tt.want {
				want[k] = "value of " + k
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
}

func TestResolveSecretsNamesTheMissingSecret(t *testing.T) {
	cfg := &cmacme.ACMEChallengeSolverDNS01{Akamai: &cmacme.ACMEIssuerDNS01ProviderAkamai{ClientToken: ref("ak", "ct"), ClientSecret: ref("gone", "cs")}}
	missing := func(ctx context.Context, name, key string) ([]byte, error) {
		if name == "gone" {
			return nil, fmt.Errorf("secrets %q not found", name)
		}
		return allSecrets(ctx, name, key)
	}
	_, err := Build(context.Background(), cfg, BuildOptions{Secrets: missing})
	if err == nil || !strings.Contains(err.Error(), "dns01 akamai: reading Secret gone key cs") {
		t.Fatalf("got %v, want an error naming Secret gone key cs", err)
	}
}

// digitalOcean is a dns01 block whose Secret is do/token.
var digitalOcean = &cmacme.ACMEChallengeSolverDNS01{DigitalOcean: &cmacme.ACMEIssuerDNS01ProviderDigitalOcean{Token: ref("do", "token")}}

func TestHelperGetsTheRequestOnStdinOnly(t *testing.T) {
	out := filepath.Join(t.TempDir(), "request.json")
	t.Setenv(fakeHelperEnv, "record")
	t.Setenv(fakeHelperOut, out)
	opts := BuildOptions{Secrets: allSecrets, Ambient: true, Nameservers: []string{"10.0.0.53:53"}, Helper: os.Args[0]}
	s, err := Build(context.Background(), digitalOcean, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CleanUp(context.Background(), "example.com", "_dnsauth.example.com.", "tok"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Argv  []string
		Stdin helperapi.Request
	}
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	want := helperapi.Request{
		Action: helperapi.ActionCleanup, Provider: "digitalocean", DNS01: digitalOcean,
		Secrets: map[string]string{"do/token": "value of do/token"},
		Domain:  "example.com", FQDN: "_dnsauth.example.com.", Value: "tok",
		Ambient: true, Nameservers: []string{"10.0.0.53:53"}, UserAgent: "certorder",
	}
	if !reflect.DeepEqual(rec.Stdin, want) {
		t.Errorf("request %+v, want %+v", rec.Stdin, want)
	}
	if len(rec.Argv) != 1 {
		t.Errorf("argv %q, want the helper's path alone", rec.Argv)
	}
}

func TestHelperFailuresAreExplained(t *testing.T) {
	tests := []struct {
		name, mode, path string
		want             []string
	}{
		{"provider error", "fail", os.Args[0], []string{"dns01 digitalocean (certorder-dns01): present: zone example.com not found"}},
		{"crash", "crash", os.Args[0], []string{"dns01 digitalocean (certorder-dns01): present gave no result", "exit status 2", "panic: boom"}},
		{"missing helper", "fail", "/nonexistent/certorder-dns01", []string{"certorder-dns01 not found at /nonexistent/certorder-dns01", "it ships in the image next to certorder"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(fakeHelperEnv, tt.mode)
			s, err := Build(context.Background(), digitalOcean, BuildOptions{Secrets: allSecrets, Helper: tt.path})
			if err != nil {
				t.Fatal(err)
			}
			err = s.Present(context.Background(), "example.com", "_dnsauth.example.com.", "tok")
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("got %v, want an error containing %q", err, w)
				}
			}
		})
	}
}

func TestDefaultHelperIsNextToTheBinary(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := DefaultHelper(), filepath.Join(filepath.Dir(exe), "certorder-dns01"); got != want {
		t.Fatalf("DefaultHelper() = %s, want %s", got, want)
	}
}

func TestCappedKeepsTheStart(t *testing.T) {
	c := &capped{max: 4}
	for _, s := range []string{"ab", "cdef", "gh"} {
		if n, err := c.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if c.String() != "abcd" {
		t.Fatalf("kept %q, want abcd", c.String())
	}
}
