package manifests

import (
	"slices"
	"strconv"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/utils/ptr"
)

// Install is what a rendered install of certorder must hold.
type Install struct {
	// Name names the Deployment and the ServiceAccount, and prefixes the
	// RBAC objects and the metrics Service.
	Name      string
	Namespace string
	// ClusterResourceNamespace is the expected --cluster-resource-namespace.
	ClusterResourceNamespace string
	// Approvers are the subjects the approver role is bound to.
	Approvers []rbacv1.Subject
	// WatchSecrets: --watch-secrets is set and a separate ClusterRole
	// grants exactly list and watch on Secrets; otherwise neither exists.
	WatchSecrets bool
}

// The signers cert-manager's approver may approve for certorder.
var signers = []string{
	"digicertissuers.certorder.dev/*",
	"digicertclusterissuers.certorder.dev/*",
	"openproviderissuers.certorder.dev/*",
	"openproviderclusterissuers.certorder.dev/*",
}

// Check asserts the Deployment's hardening, probes and flags, the RBAC of
// the manager, its leader election and cert-manager's approver, and the
// metrics Service.
func Check(t *testing.T, s Set, want Install) {
	t.Run("Deployment", func(t *testing.T) { checkDeployment(t, s, want) })
	t.Run("ManagerRBAC", func(t *testing.T) { checkManagerRBAC(t, s, want) })
	t.Run("SecretWatchRBAC", func(t *testing.T) { checkSecretWatch(t, s, want) })
	t.Run("LeaderElectionRBAC", func(t *testing.T) { checkLeaderElection(t, s, want) })
	t.Run("ApproverRBAC", func(t *testing.T) { checkApprover(t, s, want) })
	t.Run("MetricsService", func(t *testing.T) { checkMetricsService(t, s, want) })
}

func checkDeployment(t *testing.T, s Set, want Install) {
	d := Named[appsv1.Deployment](t, s, "Deployment", want.Name)
	if d.Namespace != want.Namespace {
		t.Errorf("Deployment namespace %q, want %q", d.Namespace, want.Namespace)
	}
	pod := d.Spec.Template.Spec
	if pod.ServiceAccountName != want.Name {
		t.Errorf("serviceAccountName %q, want %q", pod.ServiceAccountName, want.Name)
	}
	if sa := Named[corev1.ServiceAccount](t, s, "ServiceAccount", want.Name); sa.Namespace != want.Namespace {
		t.Errorf("ServiceAccount namespace %q, want %q", sa.Namespace, want.Namespace)
	}
	psc := pod.SecurityContext
	if psc == nil || !ptr.Deref(psc.RunAsNonRoot, false) || ptr.Deref(psc.RunAsUser, 0) != 65532 ||
		psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("pod securityContext %+v: want runAsNonRoot, runAsUser 65532, seccompProfile RuntimeDefault", psc)
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	csc := c.SecurityContext
	if csc == nil || !ptr.Deref(csc.ReadOnlyRootFilesystem, false) || ptr.Deref(csc.AllowPrivilegeEscalation, true) ||
		csc.Capabilities == nil || !slices.Equal(csc.Capabilities.Drop, []corev1.Capability{"ALL"}) {
		t.Errorf("container securityContext %+v: want readOnlyRootFilesystem, no privilege escalation, capabilities drop ALL", csc)
	}
	for _, arg := range []string{"--leader-elect=true", "--cluster-resource-namespace=" + want.ClusterResourceNamespace} {
		if !slices.Contains(c.Args, arg) {
			t.Errorf("args %q lack %s", c.Args, arg)
		}
	}
	if !slices.ContainsFunc(c.Env, func(e corev1.EnvVar) bool {
		return e.Name == "POD_NAMESPACE" && e.ValueFrom != nil && e.ValueFrom.FieldRef != nil && e.ValueFrom.FieldRef.FieldPath == "metadata.namespace"
	}) {
		t.Errorf("env %+v lacks POD_NAMESPACE from metadata.namespace", c.Env)
	}
	for probe, path := range map[*corev1.Probe]string{c.LivenessProbe: "/healthz", c.ReadinessProbe: "/readyz"} {
		if probe == nil || probe.HTTPGet == nil || probe.HTTPGet.Path != path || containerPort(c, probe.HTTPGet.Port.String()) != 8081 {
			t.Errorf("probe %+v: want GET %s on port 8081", probe, path)
		}
	}
	if containerPort(c, "metrics") != 8080 {
		t.Errorf("ports %+v: want metrics on 8080", c.Ports)
	}
}

// containerPort resolves a port name (or number) of c.
func containerPort(c corev1.Container, port string) int32 {
	for _, p := range c.Ports {
		if p.Name == port || strconv.Itoa(int(p.ContainerPort)) == port {
			return p.ContainerPort
		}
	}
	return 0
}

func checkManagerRBAC(t *testing.T, s Set, want Install) {
	role := Named[rbacv1.ClusterRole](t, s, "ClusterRole", want.Name+"-manager")
	if got := secretVerbs(role.Rules); !slices.Equal(got, []string{"get"}) {
		t.Errorf("Secrets verbs %q: want exactly get", got)
	}
	if !grants(role.Rules, "cert-manager.io", "certificaterequests/status", "patch") {
		t.Errorf("the manager cannot patch CertificateRequest status: %+v", role.Rules)
	}
	binding := Named[rbacv1.ClusterRoleBinding](t, s, "ClusterRoleBinding", want.Name+"-manager")
	checkBinding(t, binding.RoleRef, binding.Subjects, "ClusterRole", want.Name+"-manager", serviceAccount(want.Name, want.Namespace))
}

func checkLeaderElection(t *testing.T, s Set, want Install) {
	name := want.Name + "-leader-election"
	role := Named[rbacv1.Role](t, s, "Role", name)
	if role.Namespace != want.Namespace {
		t.Errorf("Role namespace %q, want %q", role.Namespace, want.Namespace)
	}
	for _, verb := range []string{"get", "list", "watch", "create", "update", "patch", "delete"} {
		if !grants(role.Rules, "coordination.k8s.io", "leases", verb) {
			t.Errorf("leader election cannot %s leases", verb)
		}
	}
	for _, verb := range []string{"create", "patch"} {
		if !grants(role.Rules, "", "events", verb) {
			t.Errorf("leader election cannot %s events", verb)
		}
	}
	binding := Named[rbacv1.RoleBinding](t, s, "RoleBinding", name)
	if binding.Namespace != want.Namespace {
		t.Errorf("RoleBinding namespace %q, want %q", binding.Namespace, want.Namespace)
	}
	checkBinding(t, binding.RoleRef, binding.Subjects, "Role", name, serviceAccount(want.Name, want.Namespace))
}

func checkApprover(t *testing.T, s Set, want Install) {
	name := want.Name + "-approver"
	role := Named[rbacv1.ClusterRole](t, s, "ClusterRole", name)
	wantRules := []rbacv1.PolicyRule{{
		APIGroups: []string{"cert-manager.io"}, Resources: []string{"signers"},
		Verbs: []string{"approve"}, ResourceNames: signers,
	}}
	if !slices.EqualFunc(role.Rules, wantRules, func(a, b rbacv1.PolicyRule) bool {
		return slices.Equal(a.APIGroups, b.APIGroups) && slices.Equal(a.Resources, b.Resources) &&
			slices.Equal(a.Verbs, b.Verbs) && slices.Equal(a.ResourceNames, b.ResourceNames)
	}) {
		t.Errorf("approver rules %+v, want %+v", role.Rules, wantRules)
	}
	binding := Named[rbacv1.ClusterRoleBinding](t, s, "ClusterRoleBinding", name)
	checkBinding(t, binding.RoleRef, binding.Subjects, "ClusterRole", name, want.Approvers...)
}

// checkSecretWatch: list and watch on Secrets come only with
// --watch-secrets, from their own ClusterRole, and nothing else does.
func checkSecretWatch(t *testing.T, s Set, want Install) {
	name := want.Name + "-secret-watch"
	args := Named[appsv1.Deployment](t, s, "Deployment", want.Name).Spec.Template.Spec.Containers[0].Args
	if got := slices.Contains(args, "--watch-secrets"); got != want.WatchSecrets {
		t.Errorf("--watch-secrets in args %q: %v, want %v", args, got, want.WatchSecrets)
	}
	for _, kind := range []string{"ClusterRole", "ClusterRoleBinding", "Role"} {
		for _, n := range Names(t, s, kind) {
			if n == name && !want.WatchSecrets {
				t.Errorf("%s %s rendered without --watch-secrets", kind, n)
			}
		}
	}
	for _, role := range All[rbacv1.ClusterRole](t, s, "ClusterRole") {
		verbs := secretVerbs(role.Rules)
		switch {
		case role.Name == name && !slices.Equal(verbs, []string{"list", "watch"}):
			t.Errorf("ClusterRole %s grants %q on Secrets, want exactly list and watch", role.Name, verbs)
		case role.Name != name && role.Name != want.Name+"-manager" && len(verbs) > 0:
			t.Errorf("ClusterRole %s grants %q on Secrets", role.Name, verbs)
		}
	}
	if want.WatchSecrets {
		binding := Named[rbacv1.ClusterRoleBinding](t, s, "ClusterRoleBinding", name)
		checkBinding(t, binding.RoleRef, binding.Subjects, "ClusterRole", name, serviceAccount(want.Name, want.Namespace))
	}
}

// secretVerbs are the verbs rules grant on Secrets, sorted.
func secretVerbs(rules []rbacv1.PolicyRule) []string {
	var verbs []string
	for _, r := range rules {
		if slices.Contains(r.APIGroups, "") && (slices.Contains(r.Resources, "secrets") || slices.Contains(r.Resources, "*")) {
			verbs = append(verbs, r.Verbs...)
		}
	}
	slices.Sort(verbs)
	return slices.Compact(verbs)
}

func checkMetricsService(t *testing.T, s Set, want Install) {
	svc := Named[corev1.Service](t, s, "Service", want.Name+"-metrics")
	if svc.Namespace != want.Namespace {
		t.Errorf("Service namespace %q, want %q", svc.Namespace, want.Namespace)
	}
	if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].Port != 8080 || svc.Spec.Ports[0].TargetPort.String() != "metrics" {
		t.Errorf("ports %+v: want 8080 to the metrics port", svc.Spec.Ports)
	}
	podLabels := Named[appsv1.Deployment](t, s, "Deployment", want.Name).Spec.Template.Labels
	for k, v := range svc.Spec.Selector {
		if podLabels[k] != v {
			t.Errorf("the Service selects %s=%s, which the pods lack (%v)", k, v, podLabels)
		}
	}
	if len(svc.Spec.Selector) == 0 {
		t.Error("the Service selects nothing")
	}
}

func serviceAccount(name, namespace string) rbacv1.Subject {
	return rbacv1.Subject{Kind: rbacv1.ServiceAccountKind, Name: name, Namespace: namespace}
}

func checkBinding(t *testing.T, ref rbacv1.RoleRef, subjects []rbacv1.Subject, kind, name string, want ...rbacv1.Subject) {
	t.Helper()
	if ref.Kind != kind || ref.Name != name || ref.APIGroup != rbacv1.GroupName {
		t.Errorf("roleRef %+v, want %s %s", ref, kind, name)
	}
	if !slices.Equal(subjects, want) {
		t.Errorf("subjects %+v, want %+v", subjects, want)
	}
}

// grants reports whether rules allow verb on resource of group.
func grants(rules []rbacv1.PolicyRule, group, resource, verb string) bool {
	return slices.ContainsFunc(rules, func(r rbacv1.PolicyRule) bool {
		return slices.Contains(r.APIGroups, group) && slices.Contains(r.Resources, resource) && slices.Contains(r.Verbs, verb)
	})
}
