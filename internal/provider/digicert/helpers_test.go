package digicert_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"testing"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/digicert"
	"github.com/certorder/certorder/internal/provider/digicert/fake"
)

const testKey = "dc-test-key-5f3a9b1e7c2d"

// env is a fake CertCentral with a client of it.
type env struct {
	fake   *fake.Server
	url    string
	client *digicert.Client
}

func newEnv(t *testing.T, opts fake.Options, clientOpts ...digicert.Option) *env {
	t.Helper()
	if opts.APIKeys == nil {
		opts.APIKeys = []string{testKey}
	}
	srv, err := fake.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	url := srv.Start()
	t.Cleanup(srv.Close)
	all := append([]digicert.Option{digicert.WithBaseURL(url), digicert.WithIssuerSpec(newSpec())}, clientOpts...)
	c, err := digicert.New(testKey, all...)
	if err != nil {
		t.Fatal(err)
	}
	return &env{fake: srv, url: url, client: c}
}

func newSpec(opts ...func(*v1alpha1.DigiCertIssuerSpec)) *v1alpha1.DigiCertIssuerSpec {
	s := &v1alpha1.DigiCertIssuerSpec{
		APIKeySecretRef: v1alpha1.SecretKeySelector{Name: "digicert", Key: "api-key"},
		ProductNameID:   "ssl_basic",
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// newCSR returns a PEM CSR for a fresh key, naming cn and dnsNames.
func newCSR(t *testing.T, cn string, dnsNames ...string) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject:  pkix.Name{CommonName: cn},
		DNSNames: append([]string{cn}, dnsNames...),
	}, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})
}

func request(action provider.Action, orderID string, csr []byte, cn string, dnsNames ...string) provider.Request {
	return provider.Request{Action: action, OrderID: orderID, CSR: csr, CommonName: cn, DNSNames: dnsNames, Comment: "default/web"}
}

// pollDone polls until the submission is no longer pending, at most max
// times.
func pollDone(t *testing.T, c *digicert.Client, pr provider.PollRequest, max int) provider.Status {
	t.Helper()
	for range max {
		st, err := c.Poll(context.Background(), pr)
		if err != nil {
			t.Fatalf("Poll: %v", err)
		}
		if st.State != provider.StatePending {
			return st
		}
	}
	t.Fatalf("still pending after %d polls", max)
	return provider.Status{}
}

// checkIssued verifies that st holds a chain leaf first, whose leaf
// certifies csr and verifies to the fake's root.
func checkIssued(t *testing.T, e *env, st provider.Status, csr []byte, dnsNames ...string) {
	t.Helper()
	if st.State != provider.StateIssued || st.Chain == nil {
		t.Fatalf("state %s (%s), want Issued with a chain", st.State, st.Message)
	}
	block, _ := pem.Decode(csr)
	req, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Chain.MatchesCSR(req); err != nil {
		t.Fatal(err)
	}
	if len(st.Chain.Intermediates) != 1 || st.Chain.Root == nil || !st.Chain.Root.Equal(e.fake.CA().Root) {
		t.Fatalf("chain has %d intermediates and root %v, want 1 and the fake's root", len(st.Chain.Intermediates), st.Chain.Root)
	}
	inter := x509.NewCertPool()
	inter.AddCert(st.Chain.Intermediates[0])
	for _, name := range dnsNames {
		if _, err := st.Chain.Leaf.Verify(x509.VerifyOptions{Roots: e.fake.CA().Pool(), Intermediates: inter, DNSName: name}); err != nil {
			t.Fatalf("verifying the leaf for %s: %v", name, err)
		}
	}
	if st.Handle.OrderID == "" || st.Handle.CertificateID == "" {
		t.Fatalf("handle %+v lacks the order or certificate id", st.Handle)
	}
}

func isTransient(err error) bool {
	var e *provider.TransientError
	return errors.As(err, &e)
}

func isPermanent(err error) bool {
	var e *provider.PermanentError
	return errors.As(err, &e)
}

func isAuth(err error) bool {
	var e *provider.AuthError
	return errors.As(err, &e)
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	var id digicert.ID
	if err := id.UnmarshalJSON([]byte(s)); err != nil || id <= 0 {
		t.Fatalf("id %q: %v", s, err)
	}
	return int64(id)
}
