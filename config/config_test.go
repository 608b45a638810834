package config_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/certorder/certorder/test/manifests"
)

const namespace = "certorder-system"

// kustomize renders config/default as `kubectl apply -k` would.
func kustomize(t *testing.T) []byte {
	t.Helper()
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl is not installed: cannot render config/default")
	}
	out, err := exec.Command(kubectl, "kustomize", "default").Output()
	if err != nil {
		t.Fatalf("kubectl kustomize config/default: %v", err)
	}
	return out
}

// TestDefaultKustomization checks config/default is a complete install.
func TestDefaultKustomization(t *testing.T) {
	s := manifests.Parse(t, kustomize(t))

	manifests.Check(t, s, manifests.Install{
		Name: "certorder", Namespace: namespace,
		// Kubernetes expands $(POD_NAMESPACE) from the container's env, so
		// the flag follows an overlay's namespace.
		ClusterResourceNamespace: "$(POD_NAMESPACE)",
		Approvers:                []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Name: "cert-manager", Namespace: "cert-manager"}},
	})

	if ns := manifests.Named[corev1.Namespace](t, s, "Namespace", namespace); ns.Name != namespace {
		t.Errorf("Namespace %q", ns.Name)
	}
	crds, _ := filepath.Glob("crd/bases/*.yaml")
	if got := len(s["CustomResourceDefinition"]); got != len(crds) || got == 0 {
		t.Errorf("%d CRDs, want the %d of config/crd/bases (list new ones in config/crd/kustomization.yaml)", got, len(crds))
	}
	for _, kind := range []string{"ServiceAccount", "Role", "RoleBinding", "Service", "Deployment"} {
		for _, obj := range manifests.Metadata(t, s, kind) {
			if obj.Namespace != namespace {
				t.Errorf("%s %s is in namespace %q, want %q", kind, obj.Name, obj.Namespace, namespace)
			}
		}
	}
	for _, kind := range []string{"ClusterRole", "ClusterRoleBinding"} {
		if names := manifests.Names(t, s, kind); !slices.Equal(names, []string{"certorder-approver", "certorder-manager"}) {
			t.Errorf("%s objects %q, want the approver and the manager", kind, names)
		}
	}
}

// TestServerDryRun installs config/default on a real API server with
// `kubectl apply --dry-run=server`: every object must pass the server's
// schema validation.
func TestServerDryRun(t *testing.T) {
	manifests.ServerDryRun(t, namespace, map[string][]byte{"config/default": kustomize(t)})
}

// TestSecretWatchRBAC: the opt-in secret_watch.yaml grants exactly list and
// watch on Secrets to the manager's ServiceAccount, and nothing else.
func TestSecretWatchRBAC(t *testing.T) {
	b, err := os.ReadFile("rbac/secret_watch.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := manifests.Parse(t, b)
	role := manifests.Named[rbacv1.ClusterRole](t, s, "ClusterRole", "certorder-secret-watch")
	want := []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: []string{"list", "watch"}}}
	if !reflect.DeepEqual(role.Rules, want) {
		t.Errorf("rules %+v, want %+v", role.Rules, want)
	}
	binding := manifests.Named[rbacv1.ClusterRoleBinding](t, s, "ClusterRoleBinding", "certorder-secret-watch")
	sa := rbacv1.Subject{Kind: rbacv1.ServiceAccountKind, Name: "certorder", Namespace: "system"}
	if binding.RoleRef.Name != role.Name || !reflect.DeepEqual(binding.Subjects, []rbacv1.Subject{sa}) {
		t.Errorf("binding %+v, want %s bound to %+v", binding, role.Name, sa)
	}
}
