package main_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"

	"github.com/certorder/certorder/internal/dcv"
	"github.com/certorder/certorder/internal/testenv"
)

// helperPath is certorder-dns01, built once by TestMain as the Dockerfile
// builds it.
var helperPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "certorder-dns01-test-")
	if err != nil {
		panic(err)
	}
	helperPath = filepath.Join(dir, dcv.HelperName)
	code := 1
	if err := testenv.BuildCommand(context.Background(), "./cmd/certorder-dns01", helperPath, "test"); err != nil {
		println(err.Error())
	} else {
		code = m.Run()
	}
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// acmeDNS plays an acme-dns server (https://github.com/joohoi/acme-dns):
// POST /update with X-Api-User and X-Api-Key, a JSON body with subdomain
// and txt. It keeps the TXT values it accepted; hang makes it hold each
// update until the client goes away.
type acmeDNS struct {
	*httptest.Server
	hang    bool
	arrived chan struct{}

	mu  sync.Mutex
	txt []string
}

func newAcmeDNS(t *testing.T, hang bool) *acmeDNS {
	f := &acmeDNS{hang: hang, arrived: make(chan struct{}, 1)}
	f.Server = httptest.NewServer(http.HandlerFunc(f.update))
	t.Cleanup(f.Close)
	return f
}

func (f *acmeDNS) update(w http.ResponseWriter, r *http.Request) {
	var body struct{ Subdomain, Txt string }
	if r.Method != http.MethodPost || r.URL.Path != "/update" || json.NewDecoder(r.Body).Decode(&body) != nil || body.Subdomain != "sub" {
		http.Error(w, `{"error": "bad_request"}`, http.StatusBadRequest)
		return
	}
	if r.Header.Get("X-Api-User") != "user" || r.Header.Get("X-Api-Key") != "right-key" {
		http.Error(w, `{"error": "forbidden"}`, http.StatusUnauthorized)
		return
	}
	if f.hang {
		f.arrived <- struct{}{}
		<-r.Context().Done()
		return
	}
	f.mu.Lock()
	f.txt = append(f.txt, body.Txt)
	f.mu.Unlock()
	_ = json.NewEncoder(w).Encode(map[string]string{"txt": body.Txt})
}

func (f *acmeDNS) TXT() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.txt)
}

// solver builds the acmeDNS provider of f through the controller's side,
// with the account Secret acme/account.json holding key.
func (f *acmeDNS) solver(t *testing.T, helper, key string) dcv.Solver {
	t.Helper()
	account, err := json.Marshal(map[string]map[string]string{"example.com": {"username": "user", "password": key, "subdomain": "sub", "fulldomain": "sub.acme-dns.example"}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &cmacme.ACMEChallengeSolverDNS01{AcmeDNS: &cmacme.ACMEIssuerDNS01ProviderAcmeDNS{
		Host:          f.URL,
		AccountSecret: cmmeta.SecretKeySelector{LocalObjectReference: cmmeta.LocalObjectReference{Name: "acme"}, Key: "account.json"},
	}}
	secrets := func(_ context.Context, name, key string) ([]byte, error) {
		if name != "acme" || key != "account.json" {
			return nil, errors.New("no such Secret")
		}
		return account, nil
	}
	s, err := dcv.Build(context.Background(), cfg, dcv.BuildOptions{Secrets: secrets, Helper: helper})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPresentAndCleanUpThroughTheHelper(t *testing.T) {
	f := newAcmeDNS(t, false)
	s := f.solver(t, helperPath, "right-key")
	ctx := context.Background()
	if err := s.Present(ctx, "example.com", "_dnsauth.example.com.", "tok"); err != nil {
		t.Fatal(err)
	}
	if got := f.TXT(); !slices.Equal(got, []string{"tok"}) {
		t.Fatalf("acme-dns got TXT %v, want [tok]", got)
	}
	if err := s.CleanUp(ctx, "example.com", "_dnsauth.example.com.", "tok"); err != nil {
		t.Fatal(err)
	}
}

func TestHelperErrorsReachTheController(t *testing.T) {
	f := newAcmeDNS(t, false)
	missing := filepath.Join(t.TempDir(), dcv.HelperName)
	tests := []struct {
		name, helper, key string
		want              []string
	}{
		{"wrong key", helperPath, "wrong-key", []string{"dns01 acmeDNS (certorder-dns01): present", "status code 401", "forbidden"}},
		{"missing helper", missing, "right-key", []string{"certorder-dns01 not found at " + missing, "it ships in the image next to certorder"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.solver(t, tt.helper, tt.key).Present(context.Background(), "example.com", "_dnsauth.example.com.", "tok")
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("got %v, want an error containing %q", err, w)
				}
			}
		})
	}
	if got := f.TXT(); len(got) != 0 {
		t.Fatalf("acme-dns took TXT %v", got)
	}
}

func TestCancelledContextStopsTheHelper(t *testing.T) {
	f := newAcmeDNS(t, true)
	s := f.solver(t, helperPath, "right-key")
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-f.arrived
		cancel()
	}()
	err := s.Present(ctx, "example.com", "_dnsauth.example.com.", "tok")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want the helper stopped by the cancelled context", err)
	}
}
