package main

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/certorder/certorder/internal/localcluster"
	opfake "github.com/certorder/certorder/internal/provider/openprovider/fake"
)

// openproviderCalls issues -pending-n requests from one Openprovider
// account whose orders stay pending (status REQ) for -pending-polls looks,
// and prints the Openprovider calls per issued certificate, by endpoint:
// while several orders of one account are pending, certorder lists the
// account's REQ orders once per tick instead of reading each order.
func (b *bench) openproviderCalls(ctx context.Context, c *localcluster.Cluster) error {
	fake, err := localcluster.NewOpenprovider()
	if err != nil {
		return err
	}
	defer fake.Close()
	fake.SetBehavior(opfake.Behavior{PendingPolls: b.cfg.pendingPolls})
	tg := b.openproviderTarget(ctx, c, fake, fmt.Sprintf("Openprovider, pending for %d looks", b.cfg.pendingPolls), "calls-openprovider")
	r, err := b.issueIn(ctx, c, tg, csrs(0, b.cfg.pendingN))
	if err != nil {
		return err
	}
	t := newTable(fmt.Sprintf("3b. Openprovider calls per issued certificate, by endpoint, %d orders of one account pending for %d looks (the fake's Calls() after minus before)", r.n, b.cfg.pendingPolls),
		"endpoint", "calls", "per certificate")
	for _, route := range slices.Sorted(maps.Keys(r.calls.routes)) {
		if n := r.calls.routes[route]; n > 0 {
			t.add(route, fmt.Sprint(n), perCert(n, r.n))
		}
	}
	t.add("total", fmt.Sprint(r.calls.total()), perCert(r.calls.total(), r.n))
	if r.n > 0 {
		value, target, holds := atMost("%.2f", float64(r.calls.total())/float64(r.n), 2.5)
		b.sum.add(fmt.Sprintf("Openprovider calls per certificate, %d pending for %d polls", r.n, b.cfg.pendingPolls), value,
			target+" at 200 pending for 3 polls", holds, b.atTarget(r.n == 200 && b.cfg.pendingPolls == 3))
	}
	t.note("A look is a GET of the order or a listing that shows it; the fake settles an order after -pending-polls looks (modelled: a real order settles in time).")
	t.note("certorder lists the account's REQ orders at most once per 10 s per account and answers every listed order from that list; an order that left REQ is read by id. Issuer checks are not counted.")
	t.note("pollInterval %s doubling per poll; all %d Ready after %s, p50 %s, p99 %s.", b.cfg.pollInterval, r.n, seconds(r.wall), seconds(r.latency.P50), seconds(r.latency.P99))
	return t.print(b.out)
}
