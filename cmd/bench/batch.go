package main

import (
	"context"
	"fmt"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"

	"github.com/certorder/certorder/internal/localcluster"
)

// result is what one batch of CertificateRequests measured.
type result struct {
	n int
	// create runs from the first create until every request was created
	// and approved; wall until the last was seen Ready.
	create, wall time.Duration
	latency      latencies
	// calls are those the target's fake CA served during the batch.
	calls callCounts
	// api are the Kubernetes API requests of the target's controller
	// during the batch, by verb and resource, when they are counted.
	api map[string]int
}

// rate is the batch's Ready requests per second.
func (r result) rate() float64 { return perSecond(r.n, r.wall) }

// target is an issuer to issue a batch from, in a namespace of its own.
type target struct {
	// what names the batch in progress lines; phase names its namespace.
	what, phase string
	// newIssuer creates the issuer in ns and waits until it is Ready.
	newIssuer func(ns string) (cmmeta.IssuerReference, error)
	// fake is the fake CA behind the issuer, whose calls are counted while
	// the requests are issued (not while the issuer is checked); nil for
	// cert-manager's CA Issuer.
	fake caCounters
	// controller is the component that serves the issuer, whose API
	// requests are counted during the batch: certorder or cert-manager.
	controller string
}

// issueIn creates a namespace and the target's issuer in it, then issues
// one request per CSR from that issuer.
func (b *bench) issueIn(ctx context.Context, c *localcluster.Cluster, tg target, csrs [][]byte) (result, error) {
	b.progress("%s: %d requests", tg.what, len(csrs))
	ns, err := newNamespace(ctx, c.Client, tg.phase)
	if err != nil {
		return result{}, err
	}
	ref, err := tg.newIssuer(ns)
	if err != nil {
		return result{}, err
	}
	reqs := requests(ns, 0, csrs, func(int) cmmeta.IssuerReference { return ref })
	var r result
	before := b.api.snapshot(tg.controller)
	issue := func() (err error) {
		r, err = b.issue(ctx, c, reqs)
		return err
	}
	if tg.fake == nil {
		err = issue()
	} else {
		r.calls, err = countCalls(tg.fake, issue)
	}
	if err != nil {
		return result{}, fmt.Errorf("%s: %w", tg.what, err)
	}
	r.api = b.api.since(tg.controller, before)
	b.progress("  all Ready after %s", seconds(r.wall))
	return r, nil
}

// issue creates and approves reqs, all in one namespace, at once, and
// waits until every one is Ready.
func (b *bench) issue(ctx context.Context, c *localcluster.Cluster, reqs []*cmapi.CertificateRequest) (result, error) {
	names := make([]string, len(reqs))
	for i, cr := range reqs {
		names[i] = cr.Name
	}
	t, err := track(ctx, c.Config, reqs[0].Namespace, names)
	if err != nil {
		return result{}, err
	}
	defer t.close()
	start := time.Now()
	started, err := createAndApprove(ctx, c.Client, reqs, b.cfg.workers)
	if err != nil {
		return result{}, err
	}
	created := time.Since(start)
	b.progress("  %d created and approved in %s; waiting until Ready", len(reqs), seconds(created))
	readyAt, err := t.wait(ctx, b.cfg.timeout, b.log)
	if err != nil {
		return result{}, err
	}
	lat := make([]time.Duration, len(reqs))
	var last time.Time
	for i, cr := range reqs {
		at := readyAt[cr.Name]
		lat[i] = at.Sub(started[i])
		if at.After(last) {
			last = at
		}
	}
	return result{n: len(reqs), create: created, wall: last.Sub(start), latency: summarize(lat)}, nil
}
