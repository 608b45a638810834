package digicert

import (
	"context"
	"testing"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
)

func TestFactorySharesClientsAndLimiters(t *testing.T) {
	keys := map[string]string{"a/key": "key-a", "b/key": "key-b"}
	secrets := func(_ context.Context, name, key string) ([]byte, error) { return []byte(keys[name+"/"+key]), nil }
	spec := func(secret, url, product string) *v1alpha1.DigiCertIssuerSpec {
		return &v1alpha1.DigiCertIssuerSpec{URL: url, ProductNameID: product, APIKeySecretRef: v1alpha1.SecretKeySelector{Name: secret, Key: "key"}}
	}
	f := NewFactory()
	var clients []*Client
	for _, s := range []*v1alpha1.DigiCertIssuerSpec{
		spec("a", "", "ssl_basic"),
		spec("a", DefaultBaseURL, "ssl_plus"),
		spec("a", "https://certcentral.digicert.eu/services/v2", "ssl_basic"),
		spec("b", "", "ssl_basic"),
	} {
		p, err := f.New(context.Background(), s, secrets)
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, p.(*Client))
	}
	if f.clients.Len() != 3 {
		t.Fatalf("%d HTTP clients, want 3 (key a on two URLs, key b)", f.clients.Len())
	}
	if clients[0].caller.Client != clients[1].caller.Client || clients[0].caller.Client == clients[2].caller.Client {
		t.Fatal("HTTP clients are not shared per (key, URL)")
	}
	if clients[0].caller.Limiter != clients[2].caller.Limiter || clients[0].caller.Limiter == clients[3].caller.Limiter {
		t.Fatal("limiters are not shared per key")
	}
	if clients[1].spec.ProductNameID != "ssl_plus" {
		t.Fatal("a shared connection mixed up the issuers' settings")
	}
}
