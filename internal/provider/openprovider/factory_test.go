package openprovider

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/time/rate"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/fakeca"
	"github.com/certorder/certorder/internal/provider/openprovider/fake"
)

var errNoSecret = errors.New("secret key not found")

// secrets serves "name/key" values and records what was asked.
type secrets struct {
	values map[string]string
	asked  []string
}

func (s *secrets) read(_ context.Context, name, key string) ([]byte, error) {
	s.asked = append(s.asked, name+"/"+key)
	v, ok := s.values[name+"/"+key]
	if !ok {
		return nil, errNoSecret
	}
	return []byte(v), nil
}

func newFactory() *Factory {
	return NewFactory(WithLimiters(provider.NewLimiters(rate.Inf, 1)))
}

func specFor(url string) *v1alpha1.OpenproviderIssuerSpec {
	return &v1alpha1.OpenproviderIssuerSpec{URL: url, ProductID: testProduct, CredentialsSecretRef: v1alpha1.CredentialsSecretRef{Name: "op"}}
}

func TestFactoryBuildsWorkingClients(t *testing.T) {
	srv := newFake(t, fake.Options{})
	f := newFactory()
	tests := []struct {
		name   string
		ref    v1alpha1.CredentialsSecretRef
		values map[string]string
		asked  []string
	}{
		{name: "default keys", ref: v1alpha1.CredentialsSecretRef{Name: "op"},
			values: map[string]string{"op/username": testUser, "op/password": testPassword}, asked: []string{"op/username", "op/password"}},
		{name: "own keys, trailing newlines", ref: v1alpha1.CredentialsSecretRef{Name: "creds", UsernameKey: "user", PasswordKey: "pass"},
			values: map[string]string{"creds/user": testUser + "\n", "creds/pass": testPassword + "\r\n"}, asked: []string{"creds/user", "creds/pass"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := specFor(srv.Start())
			spec.CredentialsSecretRef = tt.ref
			s := &secrets{values: tt.values}
			p, err := f.New(context.Background(), spec, s.read)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Check(context.Background()); err != nil {
				t.Fatal(err)
			}
			if len(s.asked) != len(tt.asked) || s.asked[0] != tt.asked[0] || s.asked[1] != tt.asked[1] {
				t.Fatalf("asked for %v, want %v", s.asked, tt.asked)
			}
		})
	}
	if got := srv.Counts().Logins; got != 1 {
		t.Fatalf("%d logins for two issuers of one credential, want 1", got)
	}
}

func TestFactorySecretErrors(t *testing.T) {
	full := map[string]string{"op/username": testUser, "op/password": testPassword}
	tests := []struct {
		name   string
		values map[string]string
		bundle bool
		class  string
	}{
		{name: "no username", values: map[string]string{"op/password": testPassword}, class: "unclassified"},
		{name: "no password", values: map[string]string{"op/username": testUser}, class: "unclassified"},
		{name: "no CA bundle", values: full, bundle: true, class: "unclassified"},
		{name: "empty password", values: map[string]string{"op/username": testUser, "op/password": ""}, class: "auth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := specFor("")
			if tt.bundle {
				spec.CABundleSecretRef = &v1alpha1.SecretKeySelector{Name: "ca", Key: "ca.crt"}
			}
			_, err := newFactory().New(context.Background(), spec, (&secrets{values: tt.values}).read)
			if tt.class == "unclassified" && !errors.Is(err, errNoSecret) {
				t.Fatalf("error %v does not wrap the secret reader's", err)
			}
			wantClass(t, err, tt.class)
		})
	}
}

func TestFactoryDefaultsAndSharedHTTPClients(t *testing.T) {
	f := newFactory()
	s := &secrets{values: map[string]string{"op/username": testUser, "op/password": testPassword, "ca/ca.crt": caBundle(t)}}
	build := func(spec *v1alpha1.OpenproviderIssuerSpec) *Client {
		t.Helper()
		p, err := f.New(context.Background(), spec, s.read)
		if err != nil {
			t.Fatal(err)
		}
		return p.(*Client)
	}
	a, b := build(specFor("")), build(specFor(""))
	want := OrderSettings{ProductID: testProduct, Period: 1, DomainValidationMethod: "dns", SoftwareID: "linux", SignatureHashAlgorithm: "sha2"}
	if a.settings != want || a.baseURL != DefaultURL {
		t.Fatalf("settings %+v at %s, want %+v at %s", a.settings, a.baseURL, want, DefaultURL)
	}
	if a.caller.Client != b.caller.Client || a.caller.Limiter != b.caller.Limiter || a.session != b.session {
		t.Fatal("two issuers of one credential do not share the HTTP client, limiter and session")
	}
	wrong := &secrets{values: map[string]string{"op/username": testUser, "op/password": "not-" + testPassword}}
	other, err := f.New(context.Background(), specFor(""), wrong.read)
	if err != nil {
		t.Fatal(err)
	}
	if other.(*Client).caller.Limiter == a.caller.Limiter {
		t.Fatal("a wrong password shares the account's limiter: the limiter key lacks the password's fingerprint")
	}
	proxied := specFor("")
	proxied.ProxyURL = "http://proxy.example:3128"
	bundled := specFor("")
	bundled.CABundleSecretRef = &v1alpha1.SecretKeySelector{Name: "ca", Key: "ca.crt"}
	if build(proxied).caller.Client == a.caller.Client || build(bundled).caller.Client == a.caller.Client {
		t.Fatal("another proxy or CA bundle reuses the HTTP client")
	}
	bad := specFor("")
	bad.ProxyURL = "socks5://proxy.example"
	_, err = f.New(context.Background(), bad, s.read)
	wantClass(t, err, "permanent")
}

func caBundle(t *testing.T) string {
	ca, err := fakeca.New("bundle")
	if err != nil {
		t.Fatal(err)
	}
	return fakeca.PEM(ca.Root)
}
