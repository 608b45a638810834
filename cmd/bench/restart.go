package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"

	"github.com/certorder/certorder/internal/localcluster"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
)

// restartStep is what the memory phase hands the restart: certorder's
// binary and directory, the namespace of the issued requests it holds,
// an issuer there and the fake behind it.
type restartStep struct {
	bin, dir string
	ns       string
	ref      cmmeta.IssuerReference
	fake     *dcfake.Server
	held     int
}

// restartTimes are the moments of a restart.
type restartTimes struct {
	started, metrics, acquired, gauge, ready, idle time.Time
}

// restart stops certorder while s.held terminal requests are held, creates
// and approves one new request meanwhile, and starts certorder again with
// leader election, as a new replica would start. It measures how soon
// after leadership the new request is Ready, and what the terminal
// requests cost the restarted process: CA calls and API writes.
func (b *bench) restart(ctx context.Context, c *localcluster.Cluster, old *certorderProcess, s restartStep) (err error) {
	b.progress("restart: stopping certorder, %d terminal requests held", s.held)
	if err := old.stop(); err != nil {
		return err
	}
	if err := allowLeaderElection(ctx, c, c.ClusterResourceNamespace); err != nil {
		return err
	}
	fresh := requests(s.ns, s.held, csrs(s.held, 1), func(int) cmmeta.IssuerReference { return s.ref })[0]
	t, err := track(ctx, c.Config, s.ns, []string{fresh.Name})
	if err != nil {
		return err
	}
	defer t.close()
	if _, err := createAndApprove(ctx, c.Client, []*cmapi.CertificateRequest{fresh}, 1); err != nil {
		return err
	}
	before, err := snapshotState(ctx, c.Client, s.ns, s.fake)
	if err != nil {
		return err
	}
	b.progress("restart: %s created and approved while certorder was down; starting it with leader election", fresh.Name)
	p, err := startCertorder(ctx, s.bin, s.dir, c, c.ClusterResourceNamespace)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, p.stop()) }()
	at := restartTimes{started: p.started, metrics: time.Now()}
	if at.gauge, err = waitLeader(ctx, p, b.cfg.timeout); err != nil {
		return err
	}
	readyAt, err := t.wait(ctx, b.cfg.timeout, b.log)
	if err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	at.ready = readyAt[fresh.Name]
	if at.acquired, err = leaseAcquired(ctx, c.Client, c.ClusterResourceNamespace); err != nil {
		return err
	}
	if at.idle, err = waitIdle(ctx, p, b.cfg.timeout); err != nil {
		return err
	}
	if err := sleep(ctx, b.cfg.settle); err != nil {
		return err
	}
	after, err := snapshotState(ctx, c.Client, s.ns, s.fake)
	if err != nil {
		return err
	}
	cost := after.costSince(before, cmapi.CertificateRequestKind+"/"+fresh.Name)
	b.progress("restart: new request Ready %s after leadership", seconds(at.ready.Sub(at.acquired)))
	b.judgeRestart(s.held, at, cost)
	if err := restartTable(p.pid(), s.held, at).print(b.out); err != nil {
		return err
	}
	return b.costTable(s.held, cost).print(b.out)
}

// judgeRestart adds the restart's figures to the summary.
func (b *bench) judgeRestart(held int, at restartTimes, cost restartCost) {
	judged := b.atTarget(held == 10000)
	value, target, holds := atMost("%.3f s", at.ready.Sub(at.acquired).Seconds(), 5)
	b.sum.add(fmt.Sprintf("restart at scale: new request Ready after leadership, %d terminal requests held", held), value, target+" at 10000", holds, judged)
	b.sum.add(fmt.Sprintf("terminal requests after a restart: CA calls / API writes, %d held", held),
		fmt.Sprintf("%d / %d", cost.beyond, cost.writes()), "0 / 0 at 10000", cost.beyond == 0 && cost.writes() == 0, judged)
}

// restartTable shows the moments of the restart.
func restartTable(pid, held int, at restartTimes) *table {
	t := newTable(fmt.Sprintf("4b. Restart at scale: certorder stopped with %d terminal requests held, one new request created and approved while it was down, then started again with leader election (pid %d)", held, pid),
		"moment", "since process start", "since leadership")
	since := func(from, to time.Time) string { return seconds(to.Sub(from)) }
	t.add("process started", "0.000s", "-")
	t.add("metrics endpoint answers", since(at.started, at.metrics), "-")
	t.add("leader: Lease spec.acquireTime", since(at.started, at.acquired), "0.000s")
	t.add(leaderGauge+" = 1 seen", since(at.started, at.gauge), since(at.acquired, at.gauge))
	t.add("new request Ready=True (watch)", since(at.started, at.ready), since(at.acquired, at.ready))
	t.add("work queues empty (workqueue_depth)", since(at.started, at.idle), since(at.acquired, at.idle))
	t.note("Flags: --leader-elect=true (Lease %s in POD_NAMESPACE, the cluster resource namespace, with the Role of config/rbac/leader_election.yaml); the rest as above.", leaseName)
	t.note("Leadership is the Lease's acquireTime, written by certorder's clock before it takes the Lease; the gauge is polled every 50 ms, the queues every 100 ms.")
	return t
}

// costTable shows what the terminal objects cost the restarted process.
func (b *bench) costTable(held int, cost restartCost) *table {
	t := newTable(fmt.Sprintf("4c. What the %d terminal requests cost the restarted certorder, until %s after its work queues emptied", held, b.cfg.settle),
		"figure", "count")
	t.add("CA calls beyond the new request's own", fmt.Sprint(cost.beyond))
	t.add("  issuer checks ("+userMe+", not counted above)", fmt.Sprint(cost.userMe))
	t.add("  new orders placed (the new request's)", fmt.Sprint(cost.newOrders))
	t.add(fmt.Sprintf("terminal objects written or deleted (of %d CertificateRequests and CertificateOrders)", cost.held), fmt.Sprint(len(cost.changed)))
	t.add("Events added or updated about them", fmt.Sprint(len(cost.events)))
	t.add("Events added or updated in the namespace, all", fmt.Sprint(cost.allEvents))
	t.note("CA calls by route, all: %s.", routeCounts(cost.calls))
	if len(cost.changed) > 0 {
		t.note("Written: %s.", firstFew(cost.changed))
	}
	if len(cost.events) > 0 {
		t.note("Events about: %s.", firstFew(cost.events))
	}
	t.note("Writes are resourceVersion changes, from two metadata-only lists of the namespace, before the start and after the wait; the new request's own are left out.")
	return t
}

// routeCounts formats calls by route, sorted.
func routeCounts(calls map[string]int) string {
	if len(calls) == 0 {
		return "none"
	}
	var parts []string
	for _, route := range slices.Sorted(maps.Keys(calls)) {
		parts = append(parts, fmt.Sprintf("%s %d", route, calls[route]))
	}
	return strings.Join(parts, ", ")
}

// firstFew lists up to five names, and how many more there are.
func firstFew(names []string) string {
	const most = 5
	if len(names) <= most {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:most], ", "), len(names)-most)
}
