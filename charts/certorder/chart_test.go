package chart_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/certorder/certorder/test/manifests"
)

const (
	namespace = "certorder-system"
	// kubeVersion is passed to helm template, whose default depends on how
	// helm was built.
	kubeVersion = "1.36.3"
)

var certManager = rbacv1.Subject{Kind: rbacv1.ServiceAccountKind, Name: "cert-manager", Namespace: "cert-manager"}

// helm runs the helm that `make` installed, returning its error with its
// output.
func helm(t *testing.T, args ...string) ([]byte, error) {
	t.Helper()
	out, err := exec.Command(tool(t, "HELM"), args...).Output()
	if exit := (*exec.ExitError)(nil); errors.As(err, &exit) {
		return nil, fmt.Errorf("%w: %s%s", err, out, exit.Stderr)
	}
	return out, err
}

// helmTemplate renders the chart as release "certorder" with extra helm
// arguments.
func helmTemplate(t *testing.T, args ...string) ([]byte, error) {
	t.Helper()
	return helm(t, append([]string{"template", "certorder", ".", "--namespace", namespace, "--kube-version", kubeVersion}, args...)...)
}

// ciValues are the values files that `make helm-test` and these tests
// render besides the defaults.
func ciValues(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("ci/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no values files in ci/: %v", err)
	}
	return files
}

func TestLint(t *testing.T) {
	for _, values := range append([]string{"values.yaml"}, ciValues(t)...) {
		t.Run(values, func(t *testing.T) {
			t.Parallel()
			if _, err := helm(t, "lint", "--strict", "--kube-version", kubeVersion, "--values", values, "."); err != nil {
				t.Errorf("helm lint --strict --values %s: %v", values, err)
			}
		})
	}
}

// TestServerDryRun installs the rendered chart on a real API server with a
// server-side dry run: every object must pass the server's strict schema
// validation. The Prometheus operator's kinds are left out, as their CRDs
// belong to it.
func TestServerDryRun(t *testing.T) {
	installs := map[string][]*unstructured.Unstructured{"values.yaml": render(t).Objects(t)}
	for _, values := range ciValues(t) {
		installs[values] = render(t, "--values", values).Objects(t, "ServiceMonitor", "PrometheusRule")
	}
	manifests.ServerDryRun(t, namespace, installs)
}

func render(t *testing.T, args ...string) manifests.Set {
	t.Helper()
	out, err := helmTemplate(t, args...)
	if err != nil {
		t.Fatalf("helm template %q: %v", args, err)
	}
	return manifests.Parse(t, out)
}

func TestDefaultValues(t *testing.T) {
	t.Parallel()
	s := render(t)
	manifests.Check(t, s, manifests.Install{Name: "certorder", Namespace: namespace, ClusterResourceNamespace: namespace, Approvers: []rbacv1.Subject{certManager}})

	d := manifests.Named[appsv1.Deployment](t, s, "Deployment", "certorder")
	if *d.Spec.Replicas != 1 {
		t.Errorf("replicas %d, want 1", *d.Spec.Replicas)
	}
	c := d.Spec.Template.Spec.Containers[0]
	var chart struct {
		AppVersion string `json:"appVersion"`
	}
	if err := yaml.Unmarshal(read(t, "Chart.yaml"), &chart); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(c.Image, ":"+chart.AppVersion) {
		t.Errorf("image %q is not tagged with appVersion %s", c.Image, chart.AppVersion)
	}
	if !slices.Contains(c.Args, "--zap-encoder=json") {
		t.Errorf("args %q: want JSON logs", c.Args)
	}
	for _, kind := range []string{"ServiceMonitor", "PodDisruptionBudget", "NetworkPolicy"} {
		if n := len(s[kind]); n != 0 {
			t.Errorf("%d %s rendered by default, want none", n, kind)
		}
	}
	role := manifests.Named[rbacv1.ClusterRole](t, s, "ClusterRole", "certorder-manager")
	generated := manifests.Decode[rbacv1.ClusterRole](t, read(t, "../../config/rbac/role.yaml"))
	if !reflect.DeepEqual(role.Rules, generated.Rules) {
		t.Errorf("the manager ClusterRole differs from config/rbac/role.yaml: run make manifests")
	}
}

func TestNonDefaultValues(t *testing.T) {
	t.Parallel()
	s := render(t, "--values", "ci/non-default-values.yaml")
	manifests.Check(t, s, manifests.Install{
		Name: "issuer", Namespace: namespace, ClusterResourceNamespace: "certorder-secrets",
		Approvers: []rbacv1.Subject{
			{Kind: rbacv1.ServiceAccountKind, Name: "cert-manager-controller", Namespace: "security"},
			{Kind: rbacv1.ServiceAccountKind, Name: "cert-manager-approver-policy", Namespace: "security"},
		},
		WatchSecrets: true,
	})

	d := manifests.Named[appsv1.Deployment](t, s, "Deployment", "issuer")
	pod := d.Spec.Template.Spec
	c := pod.Containers[0]
	if *d.Spec.Replicas != 2 || c.Image != "registry.example.com/certorder:v9.9.9" || pod.PriorityClassName != "system-cluster-critical" ||
		len(pod.Tolerations) != 1 || len(pod.TopologySpreadConstraints) != 1 || pod.Affinity == nil || pod.NodeSelector["kubernetes.io/os"] != "linux" ||
		d.Spec.Template.Labels["team"] != "platform" || d.Spec.Template.Annotations["example.com/scrape"] != "true" {
		t.Errorf("the Deployment ignores values: %+v", d.Spec)
	}
	for _, arg := range []string{"--zap-log-level=2", "--zap-encoder=console", "--issuer-recheck-interval=5m", "--ca-timeout=1m30s", "--zap-stacktrace-level=panic",
		"--namespaced-issuer-allowed-hosts=ca-mirror.example.com,proxy.example.com", "--metrics-secure"} {
		if !slices.Contains(c.Args, arg) {
			t.Errorf("args %q lack %s", c.Args, arg)
		}
	}
	if !slices.ContainsFunc(c.Env, func(e corev1.EnvVar) bool { return e.Name == "HTTPS_PROXY" }) {
		t.Errorf("env %+v lacks extraEnv's HTTPS_PROXY", c.Env)
	}
	pdb := manifests.Named[policyv1.PodDisruptionBudget](t, s, "PodDisruptionBudget", "issuer")
	if pdb.Spec.MaxUnavailable == nil || pdb.Spec.MaxUnavailable.IntValue() != 1 || pdb.Spec.MinAvailable != nil {
		t.Errorf("PodDisruptionBudget %+v, want maxUnavailable 1 only", pdb.Spec)
	}
	monitors := manifests.All[map[string]any](t, s, "ServiceMonitor")
	if len(monitors) != 1 || !strings.Contains(string(s["ServiceMonitor"][0]), "- port: metrics") {
		t.Errorf("want one ServiceMonitor scraping the metrics port, got %v", monitors)
	}
	if n := len(s["CustomResourceDefinition"]); n != 0 {
		t.Errorf("%d CRDs rendered with crds.enabled=false", n)
	}
	checkMetricsAuth(t, s)
	checkNetworkPolicy(t, s)
}

// checkMetricsAuth: metrics.secure grants exactly the delegated authn/authz
// calls, a reader role for /metrics, and binds it to metrics.readers.
func checkMetricsAuth(t *testing.T, s manifests.Set) {
	t.Helper()
	auth := manifests.Named[rbacv1.ClusterRole](t, s, "ClusterRole", "issuer-metrics-auth")
	want := []rbacv1.PolicyRule{
		{APIGroups: []string{"authentication.k8s.io"}, Resources: []string{"tokenreviews"}, Verbs: []string{"create"}},
		{APIGroups: []string{"authorization.k8s.io"}, Resources: []string{"subjectaccessreviews"}, Verbs: []string{"create"}},
	}
	if !reflect.DeepEqual(auth.Rules, want) {
		t.Errorf("metrics-auth rules %+v, want %+v", auth.Rules, want)
	}
	reader := manifests.Named[rbacv1.ClusterRole](t, s, "ClusterRole", "issuer-metrics-reader")
	if want := []rbacv1.PolicyRule{{NonResourceURLs: []string{"/metrics"}, Verbs: []string{"get"}}}; !reflect.DeepEqual(reader.Rules, want) {
		t.Errorf("metrics-reader rules %+v, want %+v", reader.Rules, want)
	}
	binding := manifests.Named[rbacv1.ClusterRoleBinding](t, s, "ClusterRoleBinding", "issuer-metrics-reader")
	if want := []rbacv1.Subject{{Kind: "ServiceAccount", Name: "prometheus", Namespace: "monitoring"}}; !reflect.DeepEqual(binding.Subjects, want) {
		t.Errorf("metrics-reader subjects %+v, want %+v", binding.Subjects, want)
	}
	if !strings.Contains(string(s["ServiceMonitor"][0]), "scheme: https") {
		t.Error("the ServiceMonitor does not scrape over https")
	}
}

// checkNetworkPolicy: ingress only to the metrics port from the given
// peers; egress only DNS, the API server and public HTTPS.
func checkNetworkPolicy(t *testing.T, s manifests.Set) {
	t.Helper()
	np := manifests.Named[networkingv1.NetworkPolicy](t, s, "NetworkPolicy", "issuer")
	if !slices.Equal(np.Spec.PolicyTypes, []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress}) {
		t.Errorf("policyTypes %v", np.Spec.PolicyTypes)
	}
	if len(np.Spec.Ingress) != 1 || len(np.Spec.Ingress[0].Ports) != 1 || np.Spec.Ingress[0].Ports[0].Port.String() != "metrics" || len(np.Spec.Ingress[0].From) != 1 {
		t.Errorf("ingress %+v, want only the metrics port from the monitoring namespace", np.Spec.Ingress)
	}
	if len(np.Spec.Egress) != 3 {
		t.Fatalf("egress %+v, want DNS, the API server and the CA", np.Spec.Egress)
	}
	if api := np.Spec.Egress[1].To; len(api) != 2 || api[0].IPBlock.CIDR != "10.96.0.1/32" {
		t.Errorf("API server egress %+v", api)
	}
	ca := np.Spec.Egress[2]
	if len(ca.To) != 1 || !slices.Contains(ca.To[0].IPBlock.Except, "169.254.0.0/16") || !slices.Contains(ca.To[0].IPBlock.Except, "10.0.0.0/8") ||
		len(ca.Ports) != 1 || ca.Ports[0].Port.IntValue() != 443 {
		t.Errorf("CA egress %+v, want HTTPS to public addresses only", ca)
	}
}

// TestCRDs proves the chart's CRDs are config/crd/bases, kept on uninstall
// unless crds.keep is false, and left out with crds.enabled=false.
func TestCRDs(t *testing.T) {
	generated := map[string]*apiextensionsv1.CustomResourceDefinition{}
	files, _ := filepath.Glob("../../config/crd/bases/*.yaml")
	for _, f := range files {
		crd := manifests.Decode[apiextensionsv1.CustomResourceDefinition](t, read(t, f))
		generated[crd.Name] = crd
	}
	for _, tc := range []struct {
		set        string
		installed  bool
		keepPolicy bool
	}{
		{"crds.enabled=true", true, true},
		{"crds.keep=false", true, false},
		{"crds.enabled=false", false, false},
	} {
		t.Run(tc.set, func(t *testing.T) {
			t.Parallel()
			crds := manifests.All[apiextensionsv1.CustomResourceDefinition](t, render(t, "--set", tc.set), "CustomResourceDefinition")
			if !tc.installed {
				if len(crds) != 0 {
					t.Errorf("%d CRDs rendered, want none", len(crds))
				}
				return
			}
			if len(crds) != len(generated) || len(crds) == 0 {
				t.Fatalf("%d CRDs rendered, want the %d of config/crd/bases", len(crds), len(generated))
			}
			for _, crd := range crds {
				if want, ok := generated[crd.Name]; !ok || !reflect.DeepEqual(crd.Spec, want.Spec) {
					t.Errorf("CRD %s differs from config/crd/bases: run make manifests", crd.Name)
				}
				if kept := crd.Annotations["helm.sh/resource-policy"] == "keep"; kept != tc.keepPolicy {
					t.Errorf("CRD %s: helm.sh/resource-policy keep is %v, want %v", crd.Name, kept, tc.keepPolicy)
				}
			}
		})
	}
}

func TestApproverDisabled(t *testing.T) {
	t.Parallel()
	s := render(t, "--set", "approver.enabled=false")
	for _, kind := range []string{"ClusterRole", "ClusterRoleBinding"} {
		if slices.Contains(manifests.Names(t, s, kind), "certorder-approver") {
			t.Errorf("%s certorder-approver rendered with approver.enabled=false", kind)
		}
	}
}

func TestSchemaRejectsInvalidValues(t *testing.T) {
	for _, set := range []string{
		"unknownValue=1",
		"image.digest=latest",
		"leaderElection.leaseDuration=15",
		"kubeAPIBurst=-1",
		"metrics.serviceMonitor.enable=true",
		"crds.enabled=yes",
		"replicaCount=-1",
		"logEncoder=text",
		"caTimeout=30",
		"extraArgs[0]=leader-elect",
		"watchSecrets=yes",
		"namespacedIssuerAllowedHosts[0]=https://ca.example.com",
		"approver.subjects={}",
		"approver.subjects[0].kind=ServiceAccount,approver.subjects[0].name=x",
		"approver.subjects[0].kind=Robot,approver.subjects[0].name=x",
		"metrics.secure=1",
		"networkPolicy.caPorts[0]=https",
		"networkPolicy.apiServerCIDRs[0]=kubernetes.default",
	} {
		t.Run(set, func(t *testing.T) {
			t.Parallel()
			_, err := helmTemplate(t, "--set", set)
			if err == nil || !strings.Contains(err.Error(), "schema") {
				t.Errorf("helm template --set %s: %v, want a schema violation", set, err)
			}
		})
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
