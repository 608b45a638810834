package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"

	"github.com/certorder/certorder/internal/localcluster"
	"github.com/certorder/certorder/internal/provider/digicert"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
)

// memory runs the certorder binary as its own process, issues -memory-n
// requests through it, cumulatively, and samples its heap and RSS once
// each number of issued requests is held in the cluster.
func (b *bench) memory(ctx context.Context, c *localcluster.Cluster) (err error) {
	dir, err := os.MkdirTemp("", "certorder-bench-")
	if err != nil {
		return fmt.Errorf("creating a directory for certorder: %w", err)
	}
	defer func() {
		if err != nil {
			// Keep the log that the error points at.
			err = fmt.Errorf("%w (certorder's binary and log are kept in %s)", err, dir)
			return
		}
		err = os.RemoveAll(dir)
	}()
	b.progress("memory: building certorder as the Dockerfile does")
	bin, err := buildCertorder(ctx, dir)
	if err != nil {
		return err
	}
	keys := make([]string, b.cfg.memoryKeys)
	for i := range keys {
		keys[i] = fmt.Sprintf("bench-api-key-%03d", i)
	}
	fake, err := localcluster.NewDigiCert(dcfake.Options{APIKeys: keys})
	if err != nil {
		return err
	}
	defer fake.Close()
	p, err := startCertorder(ctx, bin, dir, c, "")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, p.stop()) }()

	ns, err := newNamespace(ctx, c.Client, "memory")
	if err != nil {
		return err
	}
	refs := make([]cmmeta.IssuerReference, len(keys))
	for i, key := range keys {
		if refs[i], err = digiCertIssuer(ctx, c.Client, ns, fmt.Sprintf("digicert-%03d", i), fake, key, b.cfg.pollInterval); err != nil {
			return err
		}
	}
	t := newTable(fmt.Sprintf("4. certorder controller memory: main.go built as the Dockerfile builds it, run as its own process (pid %d) as certorder's RBAC-limited user", p.pid()),
		"requests held", "heap in use", "RSS after "+b.cfg.settle.String(), "RSS steady", "peak RSS", "issued in", "Ready/s")
	if _, err := b.sampleMemory(ctx, p, t, fmt.Sprintf("0 (%d issuers Ready)", len(refs)), "-", "-"); err != nil {
		return err
	}
	if err := b.foreignMemory(ctx, c, p, t); err != nil {
		return err
	}
	held := 0
	for _, n := range b.cfg.memoryN {
		b.progress("memory: %d more requests, %d in all", n-held, n)
		reqs := requests(ns, held, csrs(held, n-held), func(i int) cmmeta.IssuerReference { return refs[i%len(refs)] })
		r, err := b.issue(ctx, c, reqs)
		if err != nil {
			return fmt.Errorf("memory, %d requests: %w", n, err)
		}
		held = n
		b.progress("  all Ready after %s", seconds(r.wall))
		rss, err := b.sampleMemory(ctx, p, t, fmt.Sprintf("%d issued%s", n, b.foreignHeld()), seconds(r.wall), fmt.Sprintf("%.1f", r.rate()))
		if err != nil {
			return err
		}
		value, target, holds := atMost("%.1f MiB", rss/(1<<20), 100)
		b.sum.add(fmt.Sprintf("certorder steady RSS, %d issued requests held%s", n, b.foreignHeld()), value, target+" at 10000", holds, b.atTarget(n == 10000))
	}
	t.note("Flags: --leader-elect=false --health-probe-bind-address=0 --metrics-bind-address=127.0.0.1:<port> --cluster-resource-namespace=%s; the rest default.", c.ClusterResourceNamespace)
	t.note("RSS is VmRSS in /proc/<pid>/status, sampled %s after the last Ready and again %s later (steady, judged; the heap in use, go_memstats_heap_inuse_bytes, is read then); peak RSS is VmHWM, the most the process has held since it started. No GC is forced.", b.cfg.settle, b.cfg.steady)
	t.note("The requests are spread over %d DigiCertIssuers with an API key each, so that certorder runs with its default per-key DigiCert", len(refs))
	most := b.cfg.memoryN[len(b.cfg.memoryN)-1]
	t.note("limit (--digicert-rate-limit %.2f calls/s, burst %d): with one key, %d orders issued at once (1 call each) would take at least %s.",
		float64(digicert.DefaultRate), digicert.DefaultBurst, most, seconds(time.Duration(float64(most-digicert.DefaultBurst)/float64(digicert.DefaultRate)*float64(time.Second))))
	t.note("The other issuer's requests (cert-manager's CA Issuer, in a namespace of their own) are issued first and held through the later rows.")
	t.note("\"issued in\" runs from the first create of that step to its last Ready; each step adds requests to those already held.")
	if err := t.print(b.out); err != nil || !b.cfg.restart {
		return err
	}
	return b.restart(ctx, c, p, restartStep{bin: bin, dir: dir, ns: ns, ref: refs[0], fake: fake, held: held})
}

// foreignMemory issues -memory-foreign-n requests through cert-manager's
// CA Issuer, which certorder watches but does not serve, and samples
// certorder's memory with them held.
func (b *bench) foreignMemory(ctx context.Context, c *localcluster.Cluster, p *certorderProcess, t *table) error {
	n := b.cfg.foreignN
	if n == 0 {
		return nil
	}
	builtin := target{what: fmt.Sprintf("memory, %d requests of cert-manager's CA Issuer", n), phase: "memory-foreign", newIssuer: func(ns string) (cmmeta.IssuerReference, error) {
		return caIssuer(ctx, c.Client, ns)
	}}
	r, err := b.issueIn(ctx, c, builtin, csrs(0, n))
	if err != nil {
		return err
	}
	rss, err := b.sampleMemory(ctx, p, t, fmt.Sprintf("%d of another issuer", n), seconds(r.wall), fmt.Sprintf("%.1f", r.rate()))
	if err != nil {
		return err
	}
	value, target, holds := atMost("%.1f MiB", rss/(1<<20), 60)
	b.sum.add(fmt.Sprintf("certorder steady RSS, %d requests of another issuer held", n), value, target+" at 10000", holds, b.atTarget(n == 10000))
	return nil
}

// foreignHeld says, in a row of the memory table, that the other issuer's
// requests are still held.
func (b *bench) foreignHeld() string {
	if b.cfg.foreignN == 0 {
		return ""
	}
	return fmt.Sprintf(" + %d of another issuer", b.cfg.foreignN)
}

// sampleMemory waits -settle, samples the RSS, waits -steady, samples the
// heap, the RSS and the peak RSS, adds a row and returns the steady RSS in
// bytes.
func (b *bench) sampleMemory(ctx context.Context, p *certorderProcess, t *table, held string, cells ...string) (float64, error) {
	if err := sleep(ctx, b.cfg.settle); err != nil {
		return 0, err
	}
	_, first, err := p.sample(ctx)
	if err != nil {
		return 0, err
	}
	if err := sleep(ctx, b.cfg.steady); err != nil {
		return 0, err
	}
	heap, rss, err := p.sample(ctx)
	if err != nil {
		return 0, err
	}
	peak, err := readKiBField(fmt.Sprintf("/proc/%d/status", p.pid()), "VmHWM")
	if err != nil {
		return 0, err
	}
	t.add(append([]string{held, mib(heap), mib(first), mib(rss), mib(float64(peak))}, cells...)...)
	return rss, nil
}

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-time.After(d):
		return nil
	}
}
