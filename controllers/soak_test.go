package controllers_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
	"github.com/certorder/certorder/internal/provider/fakeca"
)

// TestFaultSoak issues a few hundred requests, then renews half of them
// (duplicates and reissues), while the CA answers 5xx, 429 with
// Retry-After, hangs past the client timeout and drops connections after
// placing orders, and certorder is restarted while a submission is in
// flight. Every request must end Issued, the CA must count exactly the
// orders, duplicates and reissues expected, and no request may ever be
// Failed by a transient fault.
func TestFaultSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak skipped with -short")
	}
	const n = 200
	ns := newNamespace(t)
	stop := startManager(t)
	g := gatedDigiCertIssuer(t, ns)
	dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
	post := dcfake.Prefix + "/order/certificate/"
	faults := dc.Faults()
	addFaults := func() {
		faults.Add(fakeca.Fault{Kind: fakeca.ServerError, Method: "POST", PathPrefix: post, Times: 25, Body: `{"errors":[{"code":"internal_error","message":"try again"}]}`})
		faults.Add(fakeca.Fault{Kind: fakeca.DropAfterCommit, Method: "POST", PathPrefix: post, Times: 25})
		faults.Add(fakeca.Fault{Kind: fakeca.RateLimited, Times: 25, RetryAfter: time.Second, Body: `{"errors":[{"code":"request_limit_exceeded","message":"Service unavailable, please limit request volume"}]}`})
		faults.Add(fakeca.Fault{Kind: fakeca.Slow, Method: "GET", Times: 10, Delay: 3 * time.Second})
	}
	defer faults.Clear()
	failed := watchForFailures(t, ns)
	// restartInFlight stops certorder while the gate holds a POST that the
	// CA has committed, and starts it again.
	restartInFlight := func() {
		g.set(holdAfterCA, 0)
		stop = g.crash(t, stop)
	}
	before := dc.Counts()

	addFaults()
	var crs []*cmapi.CertificateRequest
	for i := range n {
		cr := request(ns, fmt.Sprintf("soak-%d", i), fmt.Sprintf("soak-%d", i), fmt.Sprintf("soak-%d.example.com", i))
		createApproved(t, cr)
		crs = append(crs, cr)
	}
	restartInFlight()
	restartInFlight()
	waitAllIssued(t, crs)

	addFaults()
	var renewals []*cmapi.CertificateRequest
	for i := 0; i < n/2; i++ {
		names := []string{fmt.Sprintf("soak-%d.example.com", i)}
		if i%2 == 1 {
			names = append(names, fmt.Sprintf("alt-%d.example.com", i))
		}
		cr := request(ns, fmt.Sprintf("soak-%d-r", i), fmt.Sprintf("soak-%d", i), names...)
		createApproved(t, cr)
		renewals = append(renewals, cr)
	}
	restartInFlight()
	waitAllIssued(t, renewals)

	got := dc.Counts()
	placed := dcfake.Counts{Orders: got.Orders - before.Orders, Duplicates: got.Duplicates - before.Duplicates, Reissues: got.Reissues - before.Reissues}
	expected := dcfake.Counts{Orders: n, Duplicates: n / 4, Reissues: n / 4}
	f := failed()
	t.Logf("soak: placed %+v, expected %+v; requests failed by transient faults: %d", placed, expected, len(f))
	if placed != expected {
		t.Errorf("the CA placed %+v, want %+v", placed, expected)
	}
	if len(f) > 0 {
		t.Errorf("transient faults failed requests: %v", f)
	}
}

// waitAllIssued waits up to 3 minutes for every request to be Issued.
func waitAllIssued(t *testing.T, crs []*cmapi.CertificateRequest) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for _, cr := range crs {
		for !isIssued(t, cr) {
			if time.Now().After(deadline) {
				cur := &cmapi.CertificateRequest{}
				_ = k8s.Get(context.Background(), client.ObjectKeyFromObject(cr), cur)
				t.Fatalf("%s not issued in time: %+v", cr.Name, apiutil.GetCertificateRequestCondition(cur, cmapi.CertificateRequestConditionReady))
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
}

func isIssued(t *testing.T, cr *cmapi.CertificateRequest) bool {
	t.Helper()
	cur := &cmapi.CertificateRequest{}
	if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(cr), cur); err != nil {
		t.Fatal(err)
	}
	c := apiutil.GetCertificateRequestCondition(cur, cmapi.CertificateRequestConditionReady)
	return c != nil && c.Reason == cmapi.CertificateRequestReasonIssued
}

// watchForFailures polls the namespace's requests until the test ends and
// returns what it saw Failed.
func watchForFailures(t *testing.T, ns string) func() []string {
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	seen := map[string]string{}
	go func() {
		for ctx.Err() == nil {
			var list cmapi.CertificateRequestList
			if err := k8s.List(ctx, &list, client.InNamespace(ns)); err == nil {
				mu.Lock()
				for _, cr := range list.Items {
					if c := apiutil.GetCertificateRequestCondition(&cr, cmapi.CertificateRequestConditionReady); c != nil && c.Reason == cmapi.CertificateRequestReasonFailed {
						seen[cr.Name] = c.Message
					}
				}
				mu.Unlock()
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	t.Cleanup(cancel)
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		var out []string
		for name, msg := range seen {
			out = append(out, name+": "+msg)
		}
		return out
	}
}
