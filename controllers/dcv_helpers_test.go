package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	crmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
	"github.com/certorder/certorder/internal/app"
	"github.com/certorder/certorder/internal/dnstest"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
)

const (
	dcvTSIGKey    = "certorder-dcv."
	dcvTSIGSecret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ=="
	callCheckDCV  = "PUT /order/certificate/{order_id}/check-dcv"
)

// dcvWorld is a zone example.com served by a dnstest primary that takes
// TSIG-signed updates, a secondary that may lag behind it, a fake DigiCert
// whose check-dcv resolves through the primary, and a DigiCertIssuer with
// dcv.dns01.rfc2136 pointing at the primary.
type dcvWorld struct {
	ns        string
	primary   *dnstest.Server
	secondary *dnstest.Server
	ca        *dcfake.Server
	// inSync makes ns2.example.com resolve to the primary, as if the
	// secondary had caught up; until then it resolves to the secondary.
	inSync atomic.Bool
	// stop stops the certorder manager the world started.
	stop func()
}

// newDCVWorld starts the world and certorder; inSync says whether the
// secondary serves what the primary does.
func newDCVWorld(t *testing.T, tsigSecret string, sel *v1alpha1.DCVSelector, inSync bool) *dcvWorld {
	t.Helper()
	w := &dcvWorld{}
	w.inSync.Store(inSync)
	w.primary = startZone(t, dnstest.Options{Zone: "example.com", Nameservers: []string{"ns1.example.com", "ns2.example.com"}, TSIGKeyName: dcvTSIGKey, TSIGSecret: dcvTSIGSecret})
	w.secondary = startZone(t, dnstest.Options{Zone: "example.com", Nameservers: []string{"ns1.example.com", "ns2.example.com"}})
	ca, err := dcfake.New(dcfake.Options{APIKeys: []string{dcKey}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ca.Close)
	ca.SetBehavior(dcfake.Behavior{Shape: dcfake.CertificateID})
	ca.SetDNSServer(w.primary.Addr)
	url := ca.Start()
	w.ca = ca
	w.stop = startManager(t, w.options)
	w.ns = newNamespace(t)
	createSecret(t, w.ns, "tsig", map[string]string{"secret": tsigSecret})
	readyDigiCertIssuer(t, w.ns, func(s *v1alpha1.DigiCertIssuerSpec) {
		s.URL, s.ProductNameID, s.DCVMethod, s.SkipApproval = url, "ssl_dv_geotrust", "dns-txt-token", true
		s.DCV = &v1alpha1.DCV{Selector: sel, DNS01: &cmacme.ACMEChallengeSolverDNS01{RFC2136: &cmacme.ACMEIssuerDNS01ProviderRFC2136{
			Nameserver: w.primary.Addr, TSIGKeyName: dcvTSIGKey, TSIGAlgorithm: "HMACSHA256",
			TSIGSecret: cmmeta.SecretKeySelector{LocalObjectReference: cmmeta.LocalObjectReference{Name: "tsig"}, Key: "secret"},
		}}}
	})
	return w
}

func startZone(t *testing.T, opts dnstest.Options) *dnstest.Server {
	t.Helper()
	s, err := dnstest.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// options points certorder's hands-free validation at the world's zone,
// with checks at DigiCert at most once a second.
func (w *dcvWorld) options(o *app.Options) {
	o.DCV = controllers.DCVOptions{
		Nameservers:   []string{w.primary.Addr},
		CheckInterval: time.Second,
		ResolveNameserver: func(_ context.Context, host string) ([]string, error) {
			switch {
			case host == "ns1.example.com." || (host == "ns2.example.com." && w.inSync.Load()):
				return []string{w.primary.Addr}, nil
			case host == "ns2.example.com.":
				return []string{w.secondary.Addr}, nil
			}
			return nil, fmt.Errorf("no address for %s", host)
		},
	}
}

// waitMessage waits until the request's Ready message contains want, and
// returns it.
func waitMessage(t *testing.T, cr *cmapi.CertificateRequest, want string) string {
	t.Helper()
	var msg string
	eventually(t, fmt.Sprintf("request %s message containing %q", cr.Name, want), func() error {
		cur := &cmapi.CertificateRequest{}
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(cr), cur); err != nil {
			return err
		}
		if c := apiutil.GetCertificateRequestCondition(cur, cmapi.CertificateRequestConditionReady); c != nil {
			msg = c.Message
		}
		if !strings.Contains(msg, want) {
			return fmt.Errorf("message is %q", msg)
		}
		return nil
	})
	return msg
}

// dcvState is the DCV state in the Certificate's ledger.
func (w *dcvWorld) dcvState(t *testing.T, crt string) v1alpha1.DCVState {
	t.Helper()
	st := order(t, w.ns, crt).Status.DCV
	if st == nil {
		t.Fatal("the ledger holds no status.dcv")
	}
	return *st
}

// dcvCounter sums a certorder_dcv_ counter for DigiCert, as served on the
// manager's metrics registry: zero when certorder did not register it.
func dcvCounter(t *testing.T, name string, outcome string) float64 {
	t.Helper()
	families, err := crmetrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["provider"] == "DigiCert" && (outcome == "" || labels["outcome"] == outcome) {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}
