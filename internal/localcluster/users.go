package localcluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/yaml"

	"github.com/certorder/certorder/internal/testenv"
)

// certorderUserName is who certorder authenticates as. It holds only the
// ClusterRole that config/rbac ships, so the stack also proves the RBAC.
const certorderUserName = "certorder"

// writeAdminKubeconfig writes a kubeconfig for a system:masters user to
// Dir/kubeconfig and returns its path.
func (c *Cluster) writeAdminKubeconfig() (string, error) {
	path, err := c.kubeconfigPath("kubeconfig")
	if err != nil {
		return "", err
	}
	return path, c.env.AdminKubeconfig("admin", path)
}

// kubeconfigPath is where the kubeconfig called name goes: Dir/name, Dir
// defaulting to a temporary directory; relative when Dir is.
func (c *Cluster) kubeconfigPath(name string) (string, error) {
	dir := c.opts.Dir
	if dir == "" {
		if c.tmpDir == "" {
			tmp, err := os.MkdirTemp("", "certorder-localcluster-")
			if err != nil {
				return "", fmt.Errorf("creating a directory for the kubeconfigs: %w", err)
			}
			c.tmpDir = tmp
		}
		dir = c.tmpDir
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("creating %s: %w", dir, err)
	}
	return filepath.Join(dir, name), nil
}

// certorderUser adds certorder's user, bound to the ClusterRole of
// config/rbac/role.yaml, writes its kubeconfig to Dir/certorder.kubeconfig
// and returns its client config. Like main.go's (ctrl.GetConfig), the
// config has no client-side rate limit: the API server's priority and
// fairness applies instead.
func (c *Cluster) certorderUser(ctx context.Context) (*rest.Config, error) {
	path := filepath.Join(testenv.RepoRoot(), "config", "rbac", "role.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading certorder's ClusterRole: %w", err)
	}
	role := &rbacv1.ClusterRole{}
	if err := yaml.Unmarshal(b, role); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", path, err)
	}
	binding := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: role.Name},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role.Name},
		Subjects:   []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: certorderUserName}},
	}
	if err := c.Client.Create(ctx, role); err != nil {
		return nil, fmt.Errorf("creating ClusterRole %s: %w", role.Name, err)
	}
	if err := c.Client.Create(ctx, binding); err != nil {
		return nil, fmt.Errorf("creating ClusterRoleBinding %s: %w", binding.Name, err)
	}
	user, err := c.env.Environment().AddUser(envtest.User{Name: certorderUserName}, &rest.Config{QPS: -1})
	if err != nil {
		return nil, fmt.Errorf("adding the certorder user: %w", err)
	}
	if c.CertorderKubeconfig, err = c.kubeconfigPath("certorder.kubeconfig"); err != nil {
		return nil, err
	}
	if err := testenv.WriteKubeconfig(user, c.CertorderKubeconfig); err != nil {
		return nil, err
	}
	return user.Config(), nil
}
