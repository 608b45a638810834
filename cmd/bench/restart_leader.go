package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	authnv1 "k8s.io/api/authentication/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/certorder/certorder/internal/localcluster"
	"github.com/certorder/certorder/internal/testenv"
)

// leaseName is certorder's Lease, main.go's LeaderElectionID.
const leaseName = "certorder.dev"

// leaderGauge is controller-runtime's gauge of leadership: 1 while the
// process holds its Lease (sigs.k8s.io/controller-runtime/pkg/metrics,
// leaderelection.go).
const leaderGauge = "leader_election_master_status"

// allowLeaderElection grants certorder's user the Role that
// config/rbac/leader_election.yaml ships, in the Lease's namespace.
func allowLeaderElection(ctx context.Context, c *localcluster.Cluster, ns string) error {
	user, err := kubeconfigUser(ctx, c.CertorderKubeconfig)
	if err != nil {
		return err
	}
	path := filepath.Join(testenv.RepoRoot(), "config", "rbac", "leader_election.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading certorder's leader election Role: %w", err)
	}
	docs := bytes.Split(b, []byte("\n---\n"))
	if len(docs) != 2 {
		return fmt.Errorf("%s: want a Role and a RoleBinding, found %d documents", path, len(docs))
	}
	role, binding := &rbacv1.Role{}, &rbacv1.RoleBinding{}
	for i, obj := range []any{role, binding} {
		if err := yaml.Unmarshal(docs[i], obj); err != nil {
			return fmt.Errorf("decoding %s: %w", path, err)
		}
	}
	role.Namespace, binding.Namespace = ns, ns
	binding.Subjects = []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: user}}
	return createObjects(ctx, c.Client, role, binding)
}

// kubeconfigUser asks the API server who a kubeconfig authenticates as.
func kubeconfigUser(ctx context.Context, kubeconfig string) (string, error) {
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return "", fmt.Errorf("loading %s: %w", kubeconfig, err)
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return "", fmt.Errorf("building a clientset for %s: %w", kubeconfig, err)
	}
	review, err := cs.AuthenticationV1().SelfSubjectReviews().Create(ctx, &authnv1.SelfSubjectReview{}, metav1.CreateOptions{})
	if err != nil {
		return "", fmt.Errorf("asking who %s is: %w", kubeconfig, err)
	}
	return review.Status.UserInfo.Username, nil
}

// waitLeader returns when the process's leader gauge first reads 1,
// polled every 50 ms.
func waitLeader(ctx context.Context, p *certorderProcess, timeout time.Duration) (time.Time, error) {
	at, err := pollMetric(ctx, p, 50*time.Millisecond, timeout, leaderGauge, leading)
	if err != nil {
		return at, fmt.Errorf("waiting for certorder to lead (log: %s): %w", p.logPath, err)
	}
	return at, nil
}

// leading tells whether a leader gauge says the process holds a Lease.
func leading(samples []sample) bool {
	for _, s := range samples {
		if s.value == 1 {
			return true
		}
	}
	return false
}

// waitIdle returns when all the process's controllers' work queues are
// empty, polled every 100 ms.
func waitIdle(ctx context.Context, p *certorderProcess, timeout time.Duration) (time.Time, error) {
	at, err := pollMetric(ctx, p, 100*time.Millisecond, timeout, "workqueue_depth", func(depths []sample) bool {
		return len(depths) > 0 && total(depths) == 0
	})
	if err != nil {
		return at, fmt.Errorf("waiting for certorder's work queues to empty (log: %s): %w", p.logPath, err)
	}
	return at, nil
}

// pollMetric scrapes the process's metrics every interval until done holds
// for the samples of metric, and returns when it first did.
func pollMetric(ctx context.Context, p *certorderProcess, interval, timeout time.Duration, metric string, done func([]sample) bool) (time.Time, error) {
	var at time.Time
	err := wait.PollUntilContextTimeout(ctx, interval, timeout, true, func(ctx context.Context) (bool, error) {
		if err := p.exitErr(); err != nil {
			return false, err
		}
		text, err := scrape(ctx, p.metricsURL)
		if err != nil {
			return false, err
		}
		samples, err := metricSamples(text, metric)
		if err != nil || !done(samples) {
			return false, err
		}
		at = time.Now()
		return true, nil
	})
	return at, err
}

// total sums samples.
func total(samples []sample) float64 {
	var sum float64
	for _, s := range samples {
		sum += s.value
	}
	return sum
}

// leaseAcquired is when the holder of certorder's Lease in ns took it, by
// the holder's clock (spec.acquireTime, to the microsecond).
func leaseAcquired(ctx context.Context, c client.Client, ns string) (time.Time, error) {
	lease := &coordinationv1.Lease{}
	if err := c.Get(ctx, client.ObjectKey{Namespace: ns, Name: leaseName}, lease); err != nil {
		return time.Time{}, fmt.Errorf("reading Lease %s/%s: %w", ns, leaseName, err)
	}
	if lease.Spec.AcquireTime == nil {
		return time.Time{}, fmt.Errorf("lease %s/%s has no acquireTime", ns, leaseName)
	}
	return lease.Spec.AcquireTime.Time, nil
}
