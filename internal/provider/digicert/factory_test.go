package digicert_test

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/digicert"
	"github.com/certorder/certorder/internal/provider/digicert/fake"
)

var errNoSecret = errors.New("secret not found")

// secretMap is a SecretReader over "name/key" entries.
func secretMap(m map[string]string) provider.SecretReader {
	return func(_ context.Context, name, key string) ([]byte, error) {
		v, ok := m[name+"/"+key]
		if !ok {
			return nil, fmt.Errorf("%s/%s: %w", name, key, errNoSecret)
		}
		return []byte(v), nil
	}
}

func TestFactoryBuildsFromSpec(t *testing.T) {
	e := newEnv(t, fake.Options{})
	spec := newSpec(func(s *v1alpha1.DigiCertIssuerSpec) { s.URL = e.url })
	p, err := digicert.NewFactory().New(context.Background(), spec, secretMap(map[string]string{"digicert/api-key": testKey + "\n"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Check(context.Background()); err != nil {
		t.Fatalf("Check: %v", err)
	}
	st, err := p.Submit(context.Background(), request(provider.ActionOrder, "", newCSR(t, "a.example.com"), "a.example.com"))
	if err != nil {
		t.Fatal(err)
	}
	view, _ := e.fake.Order(mustID(t, st.Handle.OrderID))
	if c := view.Request.Certificate; c.SignatureHash != "sha256" || c.ServerPlatform.ID != -1 || view.Request.ValidityYears != 1 {
		t.Fatalf("spec defaults not applied to an object without API-server defaults: %+v", view.Request)
	}
}

func TestFactorySecretErrors(t *testing.T) {
	authErr := &provider.AuthError{Err: errors.New("forbidden to read secrets")}
	tests := []struct {
		name    string
		secrets provider.SecretReader
		spec    func(*v1alpha1.DigiCertIssuerSpec)
		want    func(error) bool
	}{
		{
			name:    "missing API key",
			secrets: secretMap(nil),
			want: func(err error) bool {
				return errors.Is(err, errNoSecret) && strings.Contains(err.Error(), `Secret "digicert", key "api-key"`)
			},
		},
		{
			name:    "error class kept",
			secrets: func(context.Context, string, string) ([]byte, error) { return nil, authErr },
			want:    func(err error) bool { return errors.Is(err, authErr) && isAuth(err) },
		},
		{
			name:    "empty API key",
			secrets: secretMap(map[string]string{"digicert/api-key": " \n"}),
			want:    isAuth,
		},
		{
			name:    "missing CA bundle",
			secrets: secretMap(map[string]string{"digicert/api-key": testKey}),
			spec: func(s *v1alpha1.DigiCertIssuerSpec) {
				s.CABundleSecretRef = &v1alpha1.SecretKeySelector{Name: "ca", Key: "ca.crt"}
			},
			want: func(err error) bool { return errors.Is(err, errNoSecret) && strings.Contains(err.Error(), "CA bundle") },
		},
		{
			name:    "bad proxy",
			secrets: secretMap(map[string]string{"digicert/api-key": testKey}),
			spec:    func(s *v1alpha1.DigiCertIssuerSpec) { s.ProxyURL = "socks5://proxy:1080" },
			want:    func(err error) bool { return err != nil && strings.Contains(err.Error(), "proxyURL") },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := newSpec()
			if tt.spec != nil {
				tt.spec(spec)
			}
			_, err := digicert.NewFactory().New(context.Background(), spec, tt.secrets)
			if !tt.want(err) {
				t.Fatalf("unexpected error %v", err)
			}
			if err != nil && strings.Contains(err.Error(), testKey) {
				t.Fatalf("the API key leaked into %q", err)
			}
		})
	}
}

func TestFactoryTrustsTheCABundle(t *testing.T) {
	srv, err := fake.New(fake.Options{APIKeys: []string{testKey}})
	if err != nil {
		t.Fatal(err)
	}
	tlsSrv := httptest.NewTLSServer(srv.Handler())
	defer tlsSrv.Close()
	bundle := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw})
	secrets := secretMap(map[string]string{"digicert/api-key": testKey, "ca/ca.crt": string(bundle)})
	for _, withBundle := range []bool{true, false} {
		spec := newSpec(func(s *v1alpha1.DigiCertIssuerSpec) { s.URL = tlsSrv.URL + fake.Prefix })
		if withBundle {
			spec.CABundleSecretRef = &v1alpha1.SecretKeySelector{Name: "ca", Key: "ca.crt"}
		}
		p, err := digicert.NewFactory().New(context.Background(), spec, secrets)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Check(context.Background()); (err == nil) != withBundle || (err != nil && !isTransient(err)) {
			t.Fatalf("with bundle %v: Check %v", withBundle, err)
		}
	}
}

func TestFactorySharesTheLimiterOfAKey(t *testing.T) {
	e := newEnv(t, fake.Options{})
	f := digicert.NewFactory(
		digicert.WithLimiters(provider.NewLimiters(rate.Every(time.Hour), 2)),
		digicert.WithTimeout(5*time.Second),
	)
	secrets := secretMap(map[string]string{"digicert/api-key": testKey})
	var ps []provider.Provider
	for _, product := range []string{"ssl_basic", "ssl_plus", "ssl_basic"} {
		p, err := f.New(context.Background(), newSpec(func(s *v1alpha1.DigiCertIssuerSpec) { s.URL, s.ProductNameID = e.url, product }), secrets)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := ps[0].Check(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ps[1].Check(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ps[2].Check(ctx); !isTransient(err) {
		t.Fatalf("third call of the key: %v, want limited", err)
	}
	if n := e.fake.Calls()["GET /user/me"]; n != 2 {
		t.Fatalf("the fake served %d calls, want 2", n)
	}
}
