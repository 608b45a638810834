package config_test

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/certorder/certorder/test/manifests"
)

const namespace = "certorder-system"

// kustomize renders config/default with kustomize's own library, as
// `kubectl apply -k` would, without kubectl.
func kustomize(t *testing.T) []byte {
	t.Helper()
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), "default")
	if err != nil {
		t.Fatalf("kustomize config/default: %v", err)
	}
	out, err := resources.AsYaml()
	if err != nil {
		t.Fatalf("kustomize config/default as YAML: %v", err)
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
		if names := manifests.Names(t, s, kind); !slices.Equal(slices.Sorted(slices.Values(names)), []string{"certorder-approver", "certorder-manager"}) {
			t.Errorf("%s objects %q, want the approver and the manager", kind, names)
		}
	}
}

// TestServerDryRun installs config/default on a real API server with a
// server-side dry run: every object must pass the server's strict schema
// validation.
func TestServerDryRun(t *testing.T) {
	objs := manifests.Parse(t, kustomize(t)).Objects(t)
	manifests.ServerDryRun(t, namespace, map[string][]*unstructured.Unstructured{"config/default": objs})
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
