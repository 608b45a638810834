// Command bench measures certorder on this machine and prints the results
// as plain text tables. It runs the local stack of internal/localcluster
// (a real kube-apiserver and etcd, cert-manager's controllers from the
// cert-manager module, certorder, and fake CAs on loopback) and measures:
//
//  1. throughput and create-to-Ready latency of N CertificateRequests for a
//     DigiCertIssuer whose fake answers at once;
//  2. the same N through cert-manager's built-in CA Issuer, for comparison;
//  3. DigiCert calls per issued certificate, by endpoint, for orders that
//     are issued at once and for orders that stay pending for a few polls,
//     and Openprovider calls for orders of one account that stay pending;
//  4. the memory of the certorder binary, run as its own process, while
//     thousands of issued requests are held in the cluster; then a restart
//     with leader election: how soon a new request is Ready after
//     leadership, and what the held requests cost the restarted process
//     (CA calls, API writes);
//  5. 1000 orders on one DigiCert key at its documented rate limit: 429s,
//     the CA call rate, time to Ready against the time the limit allows.
//
// Each phase works in a namespace and against a fake DigiCert of its own.
// Tables go to stdout, progress to stderr.
//
// The run ends with a summary: each figure, its target (issue 16) and
// whether it holds. The exit status is 0 when every figure holds, 2 when
// some misses, 1 when the bench failed.
//
//	make bench                                 # defaults: about 13 minutes on 2 cores
//	make bench BENCH_FLAGS=-quick              # under 2 minutes; figures not judged
//	make bench BENCH_FLAGS='-phases memory'    # one phase
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/time/rate"

	"github.com/certorder/certorder/internal/localcluster"
	"github.com/certorder/certorder/internal/provider"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	sum, err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(exitError)
	}
	os.Exit(sum.exitCode())
}

// bench holds the settings and the outputs of one run.
type bench struct {
	cfg   config
	out   io.Writer
	log   io.Writer
	start time.Time
	sum   summary
	api   *apiRequests
}

// run runs the phases of the command line, each on a cluster started for
// it, prints the tables and the summary to out and progress to log, and
// returns the summary.
func run(ctx context.Context, args []string, out, log io.Writer) (*summary, error) {
	cfg, err := parseFlags(args)
	if err != nil {
		return nil, err
	}
	b := &bench{cfg: cfg, out: out, log: log, start: time.Now(), api: newAPIRequests()}
	if err := b.phases(ctx); err != nil {
		return nil, err
	}
	if err := b.sum.print(out); err != nil {
		return nil, err
	}
	_, err = fmt.Fprintf(out, "Total run time: %s (%s).\n", seconds(time.Since(b.start)), time.Now().UTC().Format(time.RFC3339))
	return &b.sum, err
}

// phases runs the phases the command line names.
func (b *bench) phases(ctx context.Context) error {
	if b.cfg.runs(phaseThroughput) {
		// The throughput phases measure the controllers, not certorder's
		// per-API-key limiter, which phase 5 exercises.
		unlimited := localcluster.Options{DigiCertLimits: provider.NewLimiters(rate.Inf, 1), OpenproviderLimits: provider.NewLimiters(rate.Inf, 1), Wrap: b.api.wrap}
		if err := b.withCluster(ctx, "throughput and CA calls", unlimited, func(c *localcluster.Cluster) error {
			if err := b.header(ctx, c); err != nil {
				return err
			}
			immediate, err := b.throughput(ctx, c)
			if err != nil {
				return err
			}
			if err := b.calls(ctx, c, immediate); err != nil {
				return err
			}
			return b.openproviderCalls(ctx, c)
		}); err != nil {
			return err
		}
	}
	if b.cfg.runs(phaseMemory) {
		if err := b.withCluster(ctx, "memory", localcluster.Options{WithoutCertorder: true}, func(c *localcluster.Cluster) error {
			return b.memory(ctx, c)
		}); err != nil {
			return err
		}
	}
	if b.cfg.runs(phaseRateLimit) {
		limited := localcluster.Options{DigiCertLimits: b.cfg.digiCertLimits(), Wrap: b.api.wrap}
		return b.withCluster(ctx, "the rate limit", limited, func(c *localcluster.Cluster) error {
			return b.rateLimit(ctx, c)
		})
	}
	return nil
}

// withCluster starts a local cluster without cert-manager's approver, as
// the bench approves its requests itself, runs fn on it and stops it.
func (b *bench) withCluster(ctx context.Context, what string, opts localcluster.Options, fn func(*localcluster.Cluster) error) (err error) {
	b.progress("starting a local cluster for %s", what)
	opts.WithoutApprover = true
	c, err := localcluster.Start(ctx, opts)
	if err != nil {
		return fmt.Errorf("starting the local cluster for %s: %w", what, err)
	}
	defer func() {
		if stopErr := c.Stop(); stopErr != nil {
			err = errors.Join(err, fmt.Errorf("stopping the local cluster for %s: %w", what, stopErr))
		}
	}()
	return fn(c)
}

// progress logs a line, with the time since the start.
func (b *bench) progress(format string, args ...any) {
	fmt.Fprintf(b.log, "[%6s] %s\n", time.Since(b.start).Round(time.Second), fmt.Sprintf(format, args...))
}
