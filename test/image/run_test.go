package image_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/internal/testenv"
	tu "github.com/certorder/certorder/internal/testutil"
)

// TestBinaryRuns starts the binary against a real API server as a pod runs
// it (POD_NAMESPACE set, leader election on): it serves its probes and
// metrics, takes the leader Lease, and on SIGTERM releases the Lease and
// exits 0.
func TestBinaryRuns(t *testing.T) {
	bin := binary(t)
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	kubeconfigPath := filepath.Join(t.TempDir(), "kubeconfig")
	if err := env.AdminKubeconfig("certorder", kubeconfigPath); err != nil {
		t.Fatal(err)
	}

	metricsAddr, probeAddr := freeAddr(t), freeAddr(t)
	var logs bytes.Buffer
	cmd := exec.Command(bin, "--kubeconfig", kubeconfigPath, "--metrics-bind-address", metricsAddr, "--health-probe-bind-address", probeAddr)
	cmd.Env = append(os.Environ(), "POD_NAMESPACE=default")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	for _, path := range []string{"/healthz", "/readyz"} {
		tu.Eventually(t, time.Minute, "GET "+path, func() error { _, err := get("http://" + probeAddr + path); return err })
	}
	lease := &coordinationv1.Lease{}
	key := client.ObjectKey{Namespace: "default", Name: "certorder.dev"}
	tu.Eventually(t, time.Minute, "the leader Lease", func() error {
		if err := env.Client.Get(context.Background(), key, lease); err != nil {
			return err
		}
		if holder(lease) == "" {
			return fmt.Errorf("lease %s has no holder", key)
		}
		return nil
	})
	metrics, err := get("http://" + metricsAddr + "/metrics")
	if err != nil || !strings.Contains(metrics, "certorder_certificaterequests_pending") {
		t.Errorf("metrics: %v; the endpoint lacks certorder's metrics", err)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("certorder exited with %v after SIGTERM; its log:\n%s", err, logs.String())
		}
	case <-time.After(45 * time.Second):
		t.Fatal("certorder did not exit within 45s of SIGTERM")
	}
	if err := env.Client.Get(context.Background(), key, lease); err != nil {
		t.Fatal(err)
	}
	if h := holder(lease); h != "" {
		t.Errorf("the Lease is still held by %q after a clean exit; the next replica must wait for it to expire", h)
	}
}

// freeAddr is a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// get returns the body of a 200 answer.
func get(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s answered %s: %s", url, resp.Status, body)
	}
	return string(body), nil
}

func holder(l *coordinationv1.Lease) string {
	if l.Spec.HolderIdentity == nil {
		return ""
	}
	return *l.Spec.HolderIdentity
}
