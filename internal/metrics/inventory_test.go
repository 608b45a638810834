package metrics_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/certorder/certorder/internal/metrics"
)

func TestInventoryCollector(t *testing.T) {
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	prod := metrics.Issuer{Kind: "DigiCertIssuer", Namespace: "shop", Name: "prod"}
	shared := metrics.Issuer{Kind: "OpenproviderClusterIssuer", Name: "shared"}
	for _, tc := range []struct {
		name string
		inv  metrics.Inventory
		err  error
		want string
	}{
		{
			name: "issuers and plans",
			inv: metrics.Inventory{
				Issuers: []metrics.Issuer{{Kind: prod.Kind, Namespace: prod.Namespace, Name: prod.Name, Ready: true}, shared},
				Plans: []metrics.Plan{
					{Issuer: prod, Ends: now.Add(10 * day)},
					{Issuer: prod, Ends: now.Add(45 * day)},
					{Issuer: prod, Ends: now.Add(400 * day)},
					{Issuer: prod, Ends: now.Add(-day)},
					{Issuer: shared, Ends: now.Add(90 * day)},
				},
				Budgets: []metrics.Budget{{Issuer: prod, Limit: 50, Used: 48}},
			},
			want: `
# HELP certorder_inventory_scrape_error 1 when the last scrape could not read the issuers and orders, else 0.
# TYPE certorder_inventory_scrape_error gauge
certorder_inventory_scrape_error 0
# HELP certorder_issuer_ready 1 when the issuer's Ready condition is True, else 0.
# TYPE certorder_issuer_ready gauge
certorder_issuer_ready{kind="DigiCertIssuer",name="prod",namespace="shop"} 1
certorder_issuer_ready{kind="OpenproviderClusterIssuer",name="shared",namespace=""} 0
# HELP certorder_order_budget_limit The issuer's newOrderBudget: new paid orders it may place in a rolling 24 hours.
# TYPE certorder_order_budget_limit gauge
certorder_order_budget_limit{kind="DigiCertIssuer",name="prod",namespace="shop"} 50
# HELP certorder_order_budget_used New paid orders the issuer placed in the last 24 hours, counted from the CertificateOrders.
# TYPE certorder_order_budget_used gauge
certorder_order_budget_used{kind="DigiCertIssuer",name="prod",namespace="shop"} 48
# HELP certorder_orders_plan_ending Live orders placed through the issuer whose plan ends within the window.
# TYPE certorder_orders_plan_ending gauge
certorder_orders_plan_ending{kind="DigiCertIssuer",name="prod",namespace="shop",within="30d"} 1
certorder_orders_plan_ending{kind="DigiCertIssuer",name="prod",namespace="shop",within="60d"} 2
certorder_orders_plan_ending{kind="DigiCertIssuer",name="prod",namespace="shop",within="90d"} 2
certorder_orders_plan_ending{kind="OpenproviderClusterIssuer",name="shared",namespace="",within="30d"} 0
certorder_orders_plan_ending{kind="OpenproviderClusterIssuer",name="shared",namespace="",within="60d"} 0
certorder_orders_plan_ending{kind="OpenproviderClusterIssuer",name="shared",namespace="",within="90d"} 1
# HELP certorder_plan_end_earliest_timestamp_seconds The earliest end (Unix time) of a live order's plan placed through the issuer; after it a renewal costs a new order.
# TYPE certorder_plan_end_earliest_timestamp_seconds gauge
certorder_plan_end_earliest_timestamp_seconds{kind="DigiCertIssuer",name="prod",namespace="shop"} 1.7973792e+09
certorder_plan_end_earliest_timestamp_seconds{kind="OpenproviderClusterIssuer",name="shared",namespace=""} 1.8042912e+09
`,
		},
		{
			name: "only ended plans",
			inv:  metrics.Inventory{Plans: []metrics.Plan{{Issuer: prod, Ends: now}}},
			want: `
# HELP certorder_inventory_scrape_error 1 when the last scrape could not read the issuers and orders, else 0.
# TYPE certorder_inventory_scrape_error gauge
certorder_inventory_scrape_error 0
`,
		},
		{
			name: "cache unreadable",
			err:  errors.New("cache not started"),
			want: `
# HELP certorder_inventory_scrape_error 1 when the last scrape could not read the issuers and orders, else 0.
# TYPE certorder_inventory_scrape_error gauge
certorder_inventory_scrape_error 1
`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := &metrics.InventoryCollector{}
			c.SetSource(func(context.Context) (metrics.Inventory, error) { return tc.inv, tc.err }, func() time.Time { return now })
			if err := testutil.CollectAndCompare(c, strings.NewReader(tc.want)); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestInventoryCollectorWithoutSource(t *testing.T) {
	if n := testutil.CollectAndCount(&metrics.InventoryCollector{}); n != 0 {
		t.Errorf("%d series before a source is set, want none", n)
	}
}

func TestBuildInfo(t *testing.T) {
	metrics.SetBuildInfo("v1.2.3")
	metrics.SetBuildInfo("v1.2.4")
	if got := series(t, "certorder_build_info", "version", "v1.2.4").value; got != 1 {
		t.Errorf("certorder_build_info{version=v1.2.4} = %v, want 1", got)
	}
	if n, err := testutil.GatherAndCount(registry, "certorder_build_info"); err != nil || n != 1 {
		t.Errorf("%d certorder_build_info series (%v), want only the last version's", n, err)
	}
}

// TestNames proves Names lists every metric the registry serves.
func TestNames(t *testing.T) {
	names := metrics.Names()
	for _, want := range []string{"certorder_ca_requests_total", "certorder_build_info", "certorder_issuer_ready", "certorder_orders_plan_ending"} {
		if !slices.Contains(names, want) {
			t.Errorf("Names() = %q lacks %s", names, want)
		}
	}
}
