package dcv_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/certorder/certorder/internal/dcv"
	"github.com/certorder/certorder/internal/dnstest"
	"github.com/certorder/certorder/internal/provider"
)

const (
	tsigKey    = "certorder-dcv."
	tsigSecret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ=="
)

// secretsOf reads from a map keyed "name/key".
func secretsOf(data map[string]string) provider.SecretReader {
	return func(_ context.Context, name, key string) ([]byte, error) {
		v, ok := data[name+"/"+key]
		if !ok {
			return nil, fmt.Errorf("secret %s has no key %s", name, key)
		}
		return []byte(v), nil
	}
}

// zone starts a dnstest server for example.com with the TSIG key.
func zone(t *testing.T, nameservers ...string) *dnstest.Server {
	t.Helper()
	s, err := dnstest.Start(dnstest.Options{Zone: "example.com", Nameservers: nameservers, TSIGKeyName: tsigKey, TSIGSecret: tsigSecret})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// rfc2136 is the dns01 block of an rfc2136 solver of s, with its TSIG
// secret in Secret "tsig" key "secret".
func rfc2136(s *dnstest.Server) *cmacme.ACMEChallengeSolverDNS01 {
	return &cmacme.ACMEChallengeSolverDNS01{RFC2136: &cmacme.ACMEIssuerDNS01ProviderRFC2136{
		Nameserver:    s.Addr,
		TSIGKeyName:   tsigKey,
		TSIGAlgorithm: "HMACSHA256",
		TSIGSecret:    cmmeta.SecretKeySelector{LocalObjectReference: cmmeta.LocalObjectReference{Name: "tsig"}, Key: "secret"},
	}}
}

func buildSolver(t *testing.T, cfg *cmacme.ACMEChallengeSolverDNS01, secret string) dcv.Solver {
	t.Helper()
	s, err := dcv.Build(context.Background(), cfg, dcv.BuildOptions{Secrets: secretsOf(map[string]string{"tsig/secret": secret})})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// propagationOn resolves every nameserver host to the given servers' address
// by name: ns1.example.com. to the first, ns2 to the second, and so on.
func propagationOn(servers ...*dnstest.Server) dcv.Propagation {
	return dcv.Propagation{
		Nameservers: []string{servers[0].Addr},
		Resolve: func(_ context.Context, host string) ([]string, error) {
			for i, s := range servers {
				if host == fmt.Sprintf("ns%d.example.com.", i+1) {
					return []string{s.Addr}, nil
				}
			}
			return nil, fmt.Errorf("no address for %s", host)
		},
	}
}

// clock is a settable time source.
type clock struct{ t time.Time }

func newClock() *clock { return &clock{t: time.Date(2026, 12, 6, 5, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time { return c.t }

func (c *clock) Advance(d time.Duration) { c.t = c.t.Add(d) }

func ptrTime(t time.Time) *metav1.Time {
	m := metav1.NewTime(t)
	return &m
}
