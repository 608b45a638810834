// Package testenv starts a real kube-apiserver and etcd (controller-runtime
// envtest) with cert-manager's and certorder's CRDs installed, for the
// envtest and e2e suites. The binaries come from hack/envtest-assets.sh
// through KUBEBUILDER_ASSETS, which `make test` sets.
package testenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/certorder/certorder/internal/app"
)

// Env is a running API server.
type Env struct {
	Config *rest.Config
	Client client.Client

	env *envtest.Environment
}

// Start starts the API server and installs the CRDs. The caller must Stop it.
func Start() (*Env, error) {
	if os.Getenv("KUBEBUILDER_ASSETS") == "" {
		return nil, errors.New("KUBEBUILDER_ASSETS is not set: run the tests with `make test`, or export KUBEBUILDER_ASSETS=$(hack/envtest-assets.sh)")
	}
	cmCRDs, err := CertManagerCRDs()
	if err != nil {
		return nil, err
	}
	env := &envtest.Environment{
		CRDDirectoryPaths:     []string{CertorderCRDs(), cmCRDs},
		ErrorIfCRDPathMissing: true,
		// envtest's 20s default is too short on a 2-core machine that
		// compiles other test packages at the same time: kube-apiserver
		// then failed to start in 2 of 3 packages of one run.
		ControlPlaneStartTimeout: 2 * time.Minute,
	}
	cfg, err := env.Start()
	if err != nil {
		return nil, fmt.Errorf("starting envtest: %w", err)
	}
	c, err := client.New(cfg, client.Options{Scheme: app.NewScheme()})
	if err != nil {
		_ = env.Stop()
		return nil, err
	}
	return &Env{Config: cfg, Client: c, env: env}, nil
}

// Stop stops the API server and etcd.
func (e *Env) Stop() error { return e.env.Stop() }

// Environment exposes envtest, e.g. to add users with AddUser.
func (e *Env) Environment() *envtest.Environment { return e.env }

// AdminKubeconfig adds a system:masters user called name and writes its
// kubeconfig to path.
func (e *Env) AdminKubeconfig(name, path string) error {
	user, err := e.env.AddUser(envtest.User{Name: name, Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return fmt.Errorf("adding user %s: %w", name, err)
	}
	return WriteKubeconfig(user, path)
}

// WriteKubeconfig writes user's kubeconfig to path, readable by its owner
// only.
func WriteKubeconfig(user *envtest.AuthenticatedUser, path string) error {
	kc, err := user.KubeConfig()
	if err != nil {
		return fmt.Errorf("building the kubeconfig %s: %w", path, err)
	}
	if err := os.WriteFile(path, kc, 0o600); err != nil {
		return fmt.Errorf("writing the kubeconfig: %w", err)
	}
	return nil
}

// RepoRoot is the root of the certorder repository.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// CertorderCRDs is the directory of certorder's generated CRDs.
func CertorderCRDs() string {
	return filepath.Join(RepoRoot(), "config", "crd", "bases")
}

// CertManagerCRDs is deploy/crds of the cert-manager module in the module
// cache: the CRDs of exactly the cert-manager version certorder builds with.
func CertManagerCRDs() (string, error) {
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/cert-manager/cert-manager")
	cmd.Dir = RepoRoot()
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("locating the cert-manager module: %w", err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", errors.New("the cert-manager module is not in the module cache: run `go mod download`")
	}
	return filepath.Join(dir, "deploy", "crds"), nil
}

// ReleaseLDFlags are the Dockerfile's linker flags; ${VERSION} is its
// build argument.
const ReleaseLDFlags = "-s -w -X main.version=${VERSION}"

// BuildController builds certorder's main package into path as the
// Dockerfile does: CGO off, -trimpath, ReleaseLDFlags with version.
func BuildController(ctx context.Context, path, version string) error {
	return BuildCommand(ctx, ".", path, version)
}

// BuildCommand builds the main package pkg (relative to the repository
// root, e.g. "./cmd/certorder-dns01") into path as the Dockerfile does.
func BuildCommand(ctx context.Context, pkg, path, version string) error {
	args := []string{"build", "-trimpath", "-ldflags", strings.ReplaceAll(ReleaseLDFlags, "${VERSION}", version), "-o", path, pkg}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = RepoRoot()
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %q: %w\n%s", args, err, out)
	}
	return nil
}
