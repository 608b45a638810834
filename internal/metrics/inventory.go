package metrics

import (
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Issuer is one certorder issuer as the inventory collector sees it.
// Namespace is empty for a cluster-scoped kind.
type Issuer struct {
	Kind, Namespace, Name string
	Ready                 bool
}

// Plan is the end of one live order's plan and the issuer it was placed
// through.
type Plan struct {
	Issuer Issuer
	Ends   time.Time
}

// Budget is an issuer's new-order budget and how much of it the last 24
// hours used.
type Budget struct {
	Issuer      Issuer
	Limit, Used int
}

// Inventory is what the cluster holds at scrape time.
type Inventory struct {
	Issuers []Issuer
	Plans   []Plan
	Budgets []Budget
}

// InventorySource reads the inventory, typically from the manager's cache.
type InventorySource func(ctx context.Context) (Inventory, error)

// PlanHorizons are the windows of certorder_orders_plan_ending, shortest
// first.
var PlanHorizons = []struct {
	Label  string
	Within time.Duration
}{
	{"30d", 30 * 24 * time.Hour},
	{"60d", 60 * 24 * time.Hour},
	{"90d", 90 * 24 * time.Hour},
}

var (
	issuerLabels = []string{"kind", "namespace", "name"}

	issuerReadyDesc = prometheus.NewDesc("certorder_issuer_ready",
		"1 when the issuer's Ready condition is True, else 0.", issuerLabels, nil)
	planEndDesc = prometheus.NewDesc("certorder_plan_end_earliest_timestamp_seconds",
		"The earliest end (Unix time) of a live order's plan placed through the issuer; after it a renewal costs a new order.", issuerLabels, nil)
	planEndingDesc = prometheus.NewDesc("certorder_orders_plan_ending",
		"Live orders placed through the issuer whose plan ends within the window.", append(issuerLabels, "within"), nil)
	budgetLimitDesc = prometheus.NewDesc("certorder_order_budget_limit",
		"The issuer's newOrderBudget: new paid orders it may place in a rolling 24 hours.", issuerLabels, nil)
	budgetUsedDesc = prometheus.NewDesc("certorder_order_budget_used",
		"New paid orders the issuer placed in the last 24 hours, counted from the CertificateOrders.", issuerLabels, nil)
	inventoryErrorDesc = prometheus.NewDesc("certorder_inventory_scrape_error",
		"1 when the last scrape could not read the issuers and orders, else 0.", nil, nil)

	buildInfo = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "certorder_build_info",
		Help: "Always 1; its labels are the running build's version and Go version.",
	}, []string{"version", "goversion"})
)

// SetBuildInfo records the running build's version.
func SetBuildInfo(version string) {
	buildInfo.Reset()
	buildInfo.WithLabelValues(version, runtime.Version()).Set(1)
}

// inventoryTimeout bounds one read of the inventory.
const inventoryTimeout = 10 * time.Second

// InventoryCollector turns the cluster's issuers and orders into gauges
// at scrape time, so their series follow what the cluster holds, deleted
// issuers included. Every label names an issuer: the series grow with the
// issuers, never with the orders. Until it has a source it sends nothing.
type InventoryCollector struct {
	mu     sync.Mutex
	source InventorySource
	now    func() time.Time
}

// inventory is the collector Register adds.
var inventory = &InventoryCollector{}

// SetInventorySource makes the registered collector read from source, at
// now's time (the real clock when nil). The manager sets its cache here.
func SetInventorySource(source InventorySource, now func() time.Time) {
	inventory.SetSource(source, now)
}

// SetSource makes c read from source, at now's time (the real clock when
// nil).
func (c *InventoryCollector) SetSource(source InventorySource, now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.source, c.now = source, now
}

// Describe sends the collector's descriptors.
func (c *InventoryCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{issuerReadyDesc, planEndDesc, planEndingDesc, budgetLimitDesc, budgetUsedDesc, inventoryErrorDesc} {
		ch <- d
	}
}

// Collect reads the inventory and sends its gauges.
func (c *InventoryCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	source, now := c.source, c.now
	c.mu.Unlock()
	if source == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), inventoryTimeout)
	defer cancel()
	inv, err := source(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(inventoryErrorDesc, prometheus.GaugeValue, 1)
		return
	}
	ch <- prometheus.MustNewConstMetric(inventoryErrorDesc, prometheus.GaugeValue, 0)
	for _, i := range inv.Issuers {
		ch <- prometheus.MustNewConstMetric(issuerReadyDesc, prometheus.GaugeValue, boolValue(i.Ready), i.Kind, i.Namespace, i.Name)
	}
	for _, b := range inv.Budgets {
		ch <- prometheus.MustNewConstMetric(budgetLimitDesc, prometheus.GaugeValue, float64(b.Limit), b.Issuer.Kind, b.Issuer.Namespace, b.Issuer.Name)
		ch <- prometheus.MustNewConstMetric(budgetUsedDesc, prometheus.GaugeValue, float64(b.Used), b.Issuer.Kind, b.Issuer.Namespace, b.Issuer.Name)
	}
	collectPlans(ch, inv.Plans, now())
}

// collectPlans sends, per issuer with a live order, its earliest plan end
// and how many plans end within each horizon. Plans already over are not
// live and are left out.
func collectPlans(ch chan<- prometheus.Metric, plans []Plan, now time.Time) {
	type key struct{ kind, namespace, name string }
	earliest := map[key]time.Time{}
	ending := map[key][]int{}
	for _, p := range plans {
		left := p.Ends.Sub(now)
		if left <= 0 {
			continue
		}
		k := key{p.Issuer.Kind, p.Issuer.Namespace, p.Issuer.Name}
		if e, ok := earliest[k]; !ok || p.Ends.Before(e) {
			earliest[k] = p.Ends
		}
		if ending[k] == nil {
			ending[k] = make([]int, len(PlanHorizons))
		}
		for i, h := range PlanHorizons {
			if left <= h.Within {
				ending[k][i]++
			}
		}
	}
	for k, ends := range earliest {
		ch <- prometheus.MustNewConstMetric(planEndDesc, prometheus.GaugeValue, float64(ends.Unix()), k.kind, k.namespace, k.name)
		for i, h := range PlanHorizons {
			ch <- prometheus.MustNewConstMetric(planEndingDesc, prometheus.GaugeValue, float64(ending[k][i]), k.kind, k.namespace, k.name, h.Label)
		}
	}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
