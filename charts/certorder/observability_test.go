package chart_test

import (
	"encoding/json"
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/certorder/certorder/test/manifests"
)

// TestObservabilityOptIn proves the PrometheusRule and the dashboard are
// rendered only when asked for.
func TestObservabilityOptIn(t *testing.T) {
	t.Parallel()
	s := render(t)
	if n := len(s["PrometheusRule"]); n != 0 {
		t.Errorf("%d PrometheusRules rendered by default, want none", n)
	}
	if n := len(s["ConfigMap"]); n != 0 {
		t.Errorf("%d ConfigMaps rendered by default, want none", n)
	}
}

// TestPrometheusRule proves the chart's PrometheusRule holds the rule
// groups that promtool tests, unchanged, with the labels Prometheus
// selects rules by.
func TestPrometheusRule(t *testing.T) {
	t.Parallel()
	s := render(t, "--set", "metrics.prometheusRule.enabled=true", "--set", "metrics.prometheusRule.labels.release=prometheus")
	rules := manifests.All[struct {
		metav1.TypeMeta
		Metadata metav1.ObjectMeta `json:"metadata"`
		Spec     any               `json:"spec"`
	}](t, s, "PrometheusRule")
	if len(rules) != 1 {
		t.Fatalf("%d PrometheusRules, want 1", len(rules))
	}
	var want any
	if err := yaml.Unmarshal(read(t, rulesFile), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rules[0].Spec, want) {
		t.Errorf("the PrometheusRule's spec differs from %s:\n%v", rulesFile, rules[0].Spec)
	}
	if rules[0].Metadata.Labels["release"] != "prometheus" {
		t.Errorf("labels %v lack release=prometheus", rules[0].Metadata.Labels)
	}
}

// TestGrafanaDashboard proves the dashboard ConfigMap carries the sidecar's
// label, lands in the namespace asked for and holds the dashboard JSON.
func TestGrafanaDashboard(t *testing.T) {
	t.Parallel()
	s := render(t, "--set", "metrics.grafanaDashboard.enabled=true", "--set", "metrics.grafanaDashboard.namespace=monitoring")
	cm := manifests.Named[corev1.ConfigMap](t, s, "ConfigMap", "certorder-dashboard")
	if cm.Namespace != "monitoring" || cm.Labels["grafana_dashboard"] != "1" {
		t.Errorf("ConfigMap %s/%s labels %v: want namespace monitoring and grafana_dashboard=1", cm.Namespace, cm.Name, cm.Labels)
	}
	var got, want any
	if err := json.Unmarshal([]byte(cm.Data["certorder.json"]), &got); err != nil {
		t.Fatalf("the ConfigMap's certorder.json: %v", err)
	}
	if err := json.Unmarshal(read(t, dashboardFile), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the ConfigMap's dashboard differs from %s", dashboardFile)
	}
}
