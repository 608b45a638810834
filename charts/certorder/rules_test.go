package chart_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/certorder/certorder/internal/metrics"
)

const (
	rulesFile     = "files/prometheus-rules.yaml"
	rulesTests    = "tests/prometheus-rules.test.yaml"
	dashboardFile = "files/grafana-dashboard.json"
)

// tool returns the path in env (set by `make test`), failing the test when
// it is unset or not there.
func tool(t *testing.T, env string) string {
	t.Helper()
	bin := os.Getenv(env)
	if bin == "" {
		t.Fatalf("%s is unset: run `make test` or `make helm-test`, which install the tool and set it", env)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s: %v", env, err)
	}
	return bin
}

// TestPrometheusRules checks the rules and runs their unit tests with
// promtool, which `make` installs.
func TestPrometheusRules(t *testing.T) {
	promtool := tool(t, "PROMTOOL")
	for _, args := range [][]string{{"check", "rules", rulesFile}, {"test", "rules", rulesTests}} {
		if out, err := exec.Command(promtool, args...).CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

type ruleGroups struct {
	Groups []struct {
		Name  string `json:"name"`
		Rules []struct {
			Alert       string            `json:"alert"`
			Expr        string            `json:"expr"`
			For         string            `json:"for"`
			Labels      map[string]string `json:"labels"`
			Annotations map[string]string `json:"annotations"`
		} `json:"rules"`
	} `json:"groups"`
}

func readRules(t *testing.T) ruleGroups {
	t.Helper()
	var g ruleGroups
	if err := yaml.UnmarshalStrict(read(t, rulesFile), &g); err != nil {
		t.Fatalf("%s: %v", rulesFile, err)
	}
	return g
}

// TestAlertsHaveRunbooks proves each alert the README promises exists and
// tells the on-call what to do.
func TestAlertsHaveRunbooks(t *testing.T) {
	var alerts []string
	for _, g := range readRules(t).Groups {
		for _, r := range g.Rules {
			alerts = append(alerts, r.Alert)
			for _, key := range []string{"summary", "description", "runbook"} {
				if strings.TrimSpace(r.Annotations[key]) == "" {
					t.Errorf("alert %s has no %s", r.Alert, key)
				}
			}
		}
	}
	for _, want := range []string{
		"CertorderRequestsPendingOverADay", "CertorderCAErrorRatioHigh", "CertorderRateLimiterSaturated",
		"CertorderNewOrdersAboveNormal", "CertorderBudgetNearlyUsed", "CertorderIssuerNotReady", "CertorderPlanEndingSoon",
	} {
		if !slices.Contains(alerts, want) {
			t.Errorf("alerts %q lack %s", alerts, want)
		}
	}
}

// dashboardQueries returns every PromQL query of the dashboard: its panels'
// targets and its template variables' queries.
func dashboardQueries(t *testing.T) []string {
	t.Helper()
	var d struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
		Templating struct {
			List []struct {
				Type       string `json:"type"`
				Definition string `json:"definition"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(read(t, dashboardFile), &d); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	var queries []string
	for _, p := range d.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, target := range p.Targets {
			queries = append(queries, target.Expr)
		}
	}
	for _, v := range d.Templating.List {
		if v.Type == "query" {
			queries = append(queries, v.Definition)
		}
	}
	return queries
}

var metricName = regexp.MustCompile(`\bcertorder_[a-z0-9_]+`)

// TestQueriesNameExportedMetrics proves every query of the dashboard and
// of the alerts names only metrics that certorder's registry exports, so
// a renamed metric cannot leave a blank panel or a silent alert.
func TestQueriesNameExportedMetrics(t *testing.T) {
	exported := metrics.Names()
	known := func(name string) bool {
		if slices.Contains(exported, name) {
			return true
		}
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if base, ok := strings.CutSuffix(name, suffix); ok && slices.Contains(exported, base) {
				return true
			}
		}
		return false
	}
	queries := map[string][]string{dashboardFile: dashboardQueries(t)}
	for _, g := range readRules(t).Groups {
		for _, r := range g.Rules {
			queries[rulesFile] = append(queries[rulesFile], r.Expr)
		}
	}
	for file, qs := range queries {
		for _, q := range qs {
			names := metricName.FindAllString(q, -1)
			if len(names) == 0 {
				t.Errorf("%s: query %q names no certorder metric", file, q)
			}
			for _, name := range names {
				if !known(name) {
					t.Errorf("%s: query %q names %s, which certorder does not export (it exports %q)", file, q, name, exported)
				}
			}
		}
	}
}
