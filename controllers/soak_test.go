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

// TestFaultSoak issues a few hundred requests while the CA answers 5xx,
// 429 with Retry-After, hangs past the client timeout and drops connections
// after placing orders, and certorder is restarted several times. Every
// request must end Issued with exactly one order each, and none may ever be
// Failed by a transient fault.
func TestFaultSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak skipped with -short")
	}
	const n = 200
	ns := newNamespace(t)
	stop := startManager(t)
	readyDigiCertIssuer(t, ns)
	dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
	post := dcfake.Prefix + "/order/certificate/"
	faults := dc.Faults()
	faults.Add(fakeca.Fault{Kind: fakeca.ServerError, Method: "POST", PathPrefix: post, Times: 25, Body: `{"errors":[{"code":"internal_error","message":"try again"}]}`})
	faults.Add(fakeca.Fault{Kind: fakeca.DropAfterCommit, Method: "POST", PathPrefix: post, Times: 25})
	faults.Add(fakeca.Fault{Kind: fakeca.RateLimited, Times: 25, RetryAfter: time.Second, Body: `{"errors":[{"code":"request_limit_exceeded","message":"Service unavailable, please limit request volume"}]}`})
	faults.Add(fakeca.Fault{Kind: fakeca.Slow, Method: "GET", Times: 10, Delay: 3 * time.Second})
	defer faults.Clear()
	before := dc.Counts()

	var crs []*cmapi.CertificateRequest
	for i := range n {
		cr := request(ns, fmt.Sprintf("soak-%d", i), fmt.Sprintf("soak-%d", i), fmt.Sprintf("soak-%d.example.com", i))
		createApproved(t, cr)
		crs = append(crs, cr)
	}

	failed := watchForFailures(t, ns)
	for restart := range 3 {
		time.Sleep(time.Duration(1+restart) * time.Second)
		stop()
		stop = startManager(t)
	}
	deadline := time.Now().Add(3 * time.Minute)
	for _, cr := range crs {
		for !isIssued(t, cr) {
			if time.Now().After(deadline) {
				t.Fatalf("%s not issued in time", cr.Name)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	if got := dc.Counts().Orders - before.Orders; got != n {
		t.Errorf("the CA placed %d orders for %d requests", got, n)
	}
	if f := failed(); len(f) > 0 {
		t.Errorf("transient faults failed requests: %v", f)
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
