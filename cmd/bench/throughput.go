package main

import (
	"context"
	"fmt"
	"strconv"

	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"

	"github.com/certorder/certorder/internal/localcluster"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
)

// throughput issues each N through a DigiCertIssuer whose fake answers at
// once and through cert-manager's CA Issuer, from the same CSRs, and prints
// both and their ratio. It returns the number of certificates certorder
// issued and the DigiCert calls it made for them, for phase 3.
func (b *bench) throughput(ctx context.Context, c *localcluster.Cluster) (result, error) {
	fake, err := localcluster.NewDigiCert(dcfake.Options{})
	if err != nil {
		return result{}, err
	}
	defer fake.Close()
	fake.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
	builtin := func(ns string) (cmmeta.IssuerReference, error) { return caIssuer(ctx, c.Client, ns) }

	t := newTable(fmt.Sprintf("1-2. Throughput: N CertificateRequests created at once by %d goroutines, each approved by the bench through the status subresource (cert-manager's approver is off)", b.cfg.workers),
		"issuer", "N", "create+approve", "all Ready", "Ready/s", "p50", "p95", "p99", "max")
	ratios := newTable("     certorder / built-in (lower is better for certorder)", "N", "all Ready", "p50")
	issued := result{calls: callCounts{routes: map[string]int{}}}
	var last [2]result
	for _, n := range b.cfg.n {
		reqCSRs := csrs(0, n)
		dc, err := b.issueIn(ctx, c, b.digiCertTarget(ctx, c, fake, fmt.Sprintf("certorder DigiCert, N=%d", n), "throughput-dc"), reqCSRs)
		if err != nil {
			return result{}, err
		}
		issued.n, issued.calls = issued.n+dc.n, issued.calls.add(dc.calls)
		ca, err := b.issueIn(ctx, c, target{what: fmt.Sprintf("cert-manager CA, N=%d", n), phase: "throughput-ca", newIssuer: builtin, controller: "cert-manager"}, reqCSRs)
		if err != nil {
			return result{}, err
		}
		for _, row := range []struct {
			name string
			r    result
		}{{"certorder DigiCertIssuer", dc}, {"cert-manager CA Issuer", ca}} {
			t.add(row.name, strconv.Itoa(n), seconds(row.r.create), seconds(row.r.wall), fmt.Sprintf("%.1f", row.r.rate()),
				seconds(row.r.latency.P50), seconds(row.r.latency.P95), seconds(row.r.latency.P99), seconds(row.r.latency.Max))
		}
		ratios.add(strconv.Itoa(n), ratio(dc.wall, ca.wall), ratio(dc.latency.P50, ca.latency.P50))
		last = [2]result{dc, ca}
		if ca.wall > 0 {
			value, target, holds := atMost("%.2fx", dc.wall.Seconds()/ca.wall.Seconds(), 1)
			b.sum.add(fmt.Sprintf("throughput: all Ready, certorder / cert-manager CA Issuer, N=%d", n), value, target+" at N=1000", holds, b.atTarget(n == 1000))
		}
	}
	t.note("Latency is create-to-Ready: from the start of the create call to the first watch event with Ready=True, on the bench's clock.")
	t.note("certorder runs in-process with MaxConcurrentReconciles 5 and its DigiCert limiter off (rate.Inf); phase 5 runs it with a limit.")
	t.note("cert-manager's controllers run in the same process, 5 workers each; both issuers share the API server, etcd and the CPUs of the header.")
	if err := t.print(b.out); err != nil {
		return result{}, err
	}
	if err := ratios.print(b.out); err != nil {
		return result{}, err
	}
	return issued, b.apiTable(last[0], last[1])
}
