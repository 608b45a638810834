package manifests

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/certorder/certorder/internal/testenv"
)

// Stream joins the documents of s back into one YAML stream, leaving out
// the kinds in except.
func (s Set) Stream(except ...string) []byte {
	var b bytes.Buffer
	for kind, docs := range s {
		if slices.Contains(except, kind) {
			continue
		}
		for _, doc := range docs {
			b.WriteString("---\n")
			b.WriteString(strings.TrimSpace(string(doc)))
			b.WriteString("\n")
		}
	}
	return b.Bytes()
}

// ServerDryRun starts a real API server, creates namespace, and sends each
// stream through `kubectl apply --dry-run=server`, so the API server's
// schema validation and admission judge every object as they would on
// install. The test fails with kubectl's output if any object is refused.
func ServerDryRun(t *testing.T, namespace string, streams map[string][]byte) {
	t.Helper()
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl is not installed")
	}
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}}
	if err := env.Client.Create(context.Background(), ns); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := env.AdminKubeconfig("installer", path); err != nil {
		t.Fatal(err)
	}
	for name, stream := range streams {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(kubectl, "--kubeconfig", path, "apply", "--dry-run=server", "-f", "-")
			cmd.Stdin = bytes.NewReader(stream)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("kubectl apply --dry-run=server: %v\n%s", err, out)
			}
		})
	}
}
