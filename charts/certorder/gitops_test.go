package chart_test

import (
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/utils/ptr"

	"github.com/certorder/certorder/test/manifests"
)

// TestGitOpsValues proves the cert-manager-style values of
// ci/gitops-values.yaml reach the objects.
func TestGitOpsValues(t *testing.T) {
	t.Parallel()
	s := render(t, "--values", "ci/gitops-values.yaml")
	d := manifests.Named[appsv1.Deployment](t, s, "Deployment", "certorder")
	pod := d.Spec.Template.Spec
	c := pod.Containers[0]
	const image = "mirror.example.com/certorder/certorder:v9.9.9@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	if c.Image != image {
		t.Errorf("image %q, want %q", c.Image, image)
	}
	if want := []corev1.LocalObjectReference{{Name: "local-pull"}, {Name: "global-pull"}}; !slices.Equal(pod.ImagePullSecrets, want) {
		t.Errorf("imagePullSecrets %v, want %v", pod.ImagePullSecrets, want)
	}
	if d.Annotations["argocd.argoproj.io/sync-wave"] != "1" {
		t.Errorf("Deployment annotations %v lack deploymentAnnotations", d.Annotations)
	}
	if d.Spec.Strategy.Type != appsv1.RollingUpdateDeploymentStrategyType || d.Spec.Strategy.RollingUpdate.MaxSurge.IntValue() != 0 {
		t.Errorf("strategy %+v, want RollingUpdate with maxSurge 0", d.Spec.Strategy)
	}
	if len(pod.Volumes) != 1 || len(c.VolumeMounts) != 1 || c.VolumeMounts[0].Name != pod.Volumes[0].Name {
		t.Errorf("volumes %+v and mounts %+v, want the CA bundle", pod.Volumes, c.VolumeMounts)
	}
	if !ptr.Deref(pod.AutomountServiceAccountToken, false) {
		t.Error("automountServiceAccountToken is not true")
	}
	for _, arg := range []string{
		"--kube-api-qps=25.5", "--kube-api-burst=50",
		"--leader-election-lease-duration=60s", "--leader-election-renew-deadline=40s", "--leader-election-retry-period=5s",
	} {
		if !slices.Contains(c.Args, arg) {
			t.Errorf("args %q lack %s", c.Args, arg)
		}
	}
	for kind := range s {
		for _, obj := range manifests.Metadata(t, s, kind) {
			if obj.Labels["team"] != "platform" || obj.Labels["env"] != "prod" {
				t.Errorf("%s %s labels %v lack commonLabels and global.commonLabels", kind, obj.Name, obj.Labels)
			}
		}
	}
	for _, crd := range manifests.All[apiextensionsv1.CustomResourceDefinition](t, s, "CustomResourceDefinition") {
		if crd.Annotations["argocd.argoproj.io/sync-options"] != "Prune=false,ServerSideApply=true" || crd.Annotations["helm.sh/resource-policy"] != "keep" {
			t.Errorf("CRD %s annotations %v, want crds.annotations beside keep", crd.Name, crd.Annotations)
		}
	}
}

// TestDefaultsLeaveTuningAlone proves the tuning flags are passed only when
// set, so the controller's own defaults apply.
func TestDefaultsLeaveTuningAlone(t *testing.T) {
	t.Parallel()
	c := manifests.Named[appsv1.Deployment](t, render(t), "Deployment", "certorder").Spec.Template.Spec.Containers[0]
	for _, arg := range c.Args {
		for _, prefix := range []string{"--kube-api-", "--leader-election-"} {
			if strings.HasPrefix(arg, prefix) {
				t.Errorf("default args hold %s", arg)
			}
		}
	}
}

// TestAggregatedClusterRoles proves app teams get read access to issuers
// and CertificateOrders through view, and write access to namespaced
// issuers, never to CertificateOrders, through edit and admin.
func TestAggregatedClusterRoles(t *testing.T) {
	t.Parallel()
	s := render(t)
	view := manifests.Named[rbacv1.ClusterRole](t, s, "ClusterRole", "certorder-view")
	edit := manifests.Named[rbacv1.ClusterRole](t, s, "ClusterRole", "certorder-edit")
	for role, aggregates := range map[*rbacv1.ClusterRole][]string{view: {"view", "edit", "admin"}, edit: {"edit", "admin"}} {
		for _, to := range aggregates {
			if role.Labels["rbac.authorization.k8s.io/aggregate-to-"+to] != "true" {
				t.Errorf("%s is not aggregated to %s: %v", role.Name, to, role.Labels)
			}
		}
	}
	for _, r := range []string{"digicertissuers", "openproviderissuers", "certificateorders"} {
		if !grants(view.Rules, r, "list") {
			t.Errorf("view cannot list %s", r)
		}
	}
	for _, r := range []string{"digicertissuers", "openproviderissuers"} {
		if !grants(edit.Rules, r, "create") {
			t.Errorf("edit cannot create %s", r)
		}
	}
	for _, role := range []*rbacv1.ClusterRole{view, edit} {
		for _, verb := range []string{"create", "update", "patch", "delete"} {
			if grants(role.Rules, "certificateorders", verb) {
				t.Errorf("%s may %s certificateorders", role.Name, verb)
			}
		}
		for _, r := range []string{"digicertclusterissuers", "openproviderclusterissuers"} {
			if grants(role.Rules, r, "get") {
				t.Errorf("%s grants %s, which are cluster-wide", role.Name, r)
			}
		}
	}
	if n := len(manifests.Names(t, render(t, "--set", "aggregateClusterRoles=false"), "ClusterRole")); n != 2 {
		t.Errorf("%d ClusterRoles with aggregateClusterRoles=false, want the manager and approver only", n)
	}
}

func grants(rules []rbacv1.PolicyRule, resource, verb string) bool {
	return slices.ContainsFunc(rules, func(r rbacv1.PolicyRule) bool {
		return slices.Contains(r.APIGroups, "certorder.dev") && slices.Contains(r.Resources, resource) && slices.Contains(r.Verbs, verb)
	})
}
