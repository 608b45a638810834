package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/certorder/certorder/internal/localcluster"
	"github.com/certorder/certorder/internal/testenv"
)

// certorderProcess is the certorder binary, built as the image ships it,
// run as a process of its own so that its memory is certorder's alone.
type certorderProcess struct {
	cmd        *exec.Cmd
	metricsURL string
	logPath    string
	// started is when the process was started.
	started time.Time

	exited  chan struct{}
	waitErr error
}

// buildCertorder builds certorder into dir as the image ships it.
func buildCertorder(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "certorder")
	if err := testenv.BuildController(ctx, bin, "bench"); err != nil {
		return "", fmt.Errorf("building certorder: %w", err)
	}
	return bin, nil
}

// startCertorder runs bin against the cluster as certorder's user, with
// its log in dir, and returns once its metrics endpoint answers. With a
// leaseNamespace, it runs as a Deployment's replica does: leader election
// on, its Lease in that namespace (POD_NAMESPACE); without one, with
// --leader-elect=false.
func startCertorder(ctx context.Context, bin, dir string, c *localcluster.Cluster, leaseNamespace string) (*certorderProcess, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	p := &certorderProcess{
		metricsURL: "http://127.0.0.1:" + strconv.Itoa(port) + "/metrics",
		exited:     make(chan struct{}),
	}
	logFile, err := os.CreateTemp(dir, "certorder-*.log")
	if err != nil {
		return nil, fmt.Errorf("creating certorder's log: %w", err)
	}
	p.logPath = logFile.Name()
	p.cmd = exec.Command(bin,
		"--kubeconfig="+c.CertorderKubeconfig,
		"--leader-elect="+strconv.FormatBool(leaseNamespace != ""),
		"--metrics-bind-address=127.0.0.1:"+strconv.Itoa(port),
		"--health-probe-bind-address=0",
		"--cluster-resource-namespace="+c.ClusterResourceNamespace,
	)
	if leaseNamespace != "" {
		p.cmd.Env = append(os.Environ(), "POD_NAMESPACE="+leaseNamespace)
	}
	p.cmd.Stdout, p.cmd.Stderr = logFile, logFile
	p.started = time.Now()
	if err := p.cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, fmt.Errorf("starting certorder: %w", err)
	}
	go func() {
		p.waitErr = p.cmd.Wait()
		_ = logFile.Close()
		close(p.exited)
	}()
	err = wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
		if err := p.exitErr(); err != nil {
			return false, err
		}
		_, err := scrape(ctx, p.metricsURL)
		return err == nil, nil
	})
	if err != nil {
		return nil, errors.Join(fmt.Errorf("waiting for certorder's metrics (log: %s): %w", p.logPath, err), p.stop())
	}
	return p, nil
}

// exitErr is an error once the process has exited.
func (p *certorderProcess) exitErr() error {
	select {
	case <-p.exited:
		return fmt.Errorf("certorder exited (%v); see %s", p.waitErr, p.logPath)
	default:
		return nil
	}
}

// pid is the process id.
func (p *certorderProcess) pid() int { return p.cmd.Process.Pid }

// sample returns the process's heap in use, from its metrics
// (go_memstats_heap_inuse_bytes), and its resident set, from
// /proc/<pid>/status (VmRSS), in bytes.
func (p *certorderProcess) sample(ctx context.Context) (heap, rss float64, err error) {
	if err := p.exitErr(); err != nil {
		return 0, 0, err
	}
	text, err := scrape(ctx, p.metricsURL)
	if err != nil {
		return 0, 0, err
	}
	if heap, err = metricValue(text, "go_memstats_heap_inuse_bytes"); err != nil {
		return 0, 0, err
	}
	resident, err := readKiBField(fmt.Sprintf("/proc/%d/status", p.pid()), "VmRSS")
	if err != nil {
		return 0, 0, err
	}
	return heap, float64(resident), nil
}

// stop asks the process to stop (SIGTERM, as Kubernetes does), kills it
// after 30 seconds, and waits until it has exited.
func (p *certorderProcess) stop() error {
	if p.exitErr() != nil {
		return nil
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("stopping certorder: %w", err)
	}
	select {
	case <-p.exited:
		return nil
	case <-time.After(30 * time.Second):
	}
	if err := p.cmd.Process.Kill(); err != nil {
		return fmt.Errorf("killing certorder: %w", err)
	}
	<-p.exited
	return errors.New("certorder did not stop within 30s of SIGTERM and was killed")
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
