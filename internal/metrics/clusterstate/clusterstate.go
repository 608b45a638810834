// Package clusterstate reads certorder's issuers and CertificateOrders
// from a client.Reader (the manager's cache) into the metrics package's
// inventory, which its collector turns into gauges at scrape time.
package clusterstate

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/metrics"
	"github.com/certorder/certorder/internal/policy"
)

// issuerLists are empty lists of the four issuer kinds, by kind.
var issuerLists = map[string]func() client.ObjectList{
	v1alpha1.DigiCertIssuerKind:            func() client.ObjectList { return &v1alpha1.DigiCertIssuerList{} },
	v1alpha1.DigiCertClusterIssuerKind:     func() client.ObjectList { return &v1alpha1.DigiCertClusterIssuerList{} },
	v1alpha1.OpenproviderIssuerKind:        func() client.ObjectList { return &v1alpha1.OpenproviderIssuerList{} },
	v1alpha1.OpenproviderClusterIssuerKind: func() client.ObjectList { return &v1alpha1.OpenproviderClusterIssuerList{} },
}

// issuerObject is what every issuer kind has.
type issuerObject interface {
	client.Object
	GetStatus() *v1alpha1.IssuerStatus
	Settings() v1alpha1.IssuerSettings
}

// Source reads the inventory from r, counting budgets up to now.
func Source(r client.Reader, now func() time.Time) metrics.InventorySource {
	return func(ctx context.Context) (metrics.Inventory, error) {
		var orders v1alpha1.CertificateOrderList
		if err := r.List(ctx, &orders); err != nil {
			return metrics.Inventory{}, fmt.Errorf("listing CertificateOrders: %w", err)
		}
		inv := metrics.Inventory{Plans: listPlans(orders.Items)}
		for kind, newList := range issuerLists {
			issuers, err := listIssuers(ctx, r, kind, newList())
			if err != nil {
				return metrics.Inventory{}, err
			}
			for _, iss := range issuers {
				id := metrics.Issuer{
					Kind: kind, Namespace: iss.GetNamespace(), Name: iss.GetName(),
					Ready: meta.IsStatusConditionTrue(iss.GetStatus().Conditions, v1alpha1.ConditionReady),
				}
				inv.Issuers = append(inv.Issuers, id)
				guardrails := iss.Settings().Guardrails
				used, _ := policy.CountNewOrders(orders.Items, policy.Issuer{Kind: kind, Name: id.Name, Namespace: id.Namespace}, now())
				inv.Budgets = append(inv.Budgets, metrics.Budget{Issuer: metrics.Issuer{Kind: kind, Namespace: id.Namespace, Name: id.Name}, Limit: policy.Budget(guardrails), Used: used})
			}
		}
		return inv, nil
	}
}

func listIssuers(ctx context.Context, r client.Reader, kind string, list client.ObjectList) ([]issuerObject, error) {
	if err := r.List(ctx, list); err != nil {
		return nil, fmt.Errorf("listing %s: %w", kind, err)
	}
	items, err := meta.ExtractList(list)
	if err != nil {
		return nil, fmt.Errorf("reading the %s list: %w", kind, err)
	}
	issuers := make([]issuerObject, 0, len(items))
	for _, item := range items {
		iss, ok := item.(issuerObject)
		if !ok {
			return nil, fmt.Errorf("a %s that is not an issuer: %T", kind, item)
		}
		issuers = append(issuers, iss)
	}
	return issuers, nil
}

// listPlans returns the plan end of every order that can still serve a
// renewal: one with a plan end that is neither failed nor expired. An
// order placed through a namespaced issuer lives in that issuer's
// namespace.
func listPlans(orders []v1alpha1.CertificateOrder) []metrics.Plan {
	var plans []metrics.Plan
	for _, o := range orders {
		if o.Status.OrderValidUntil == nil || o.Status.State == v1alpha1.OrderFailed || o.Status.State == v1alpha1.OrderExpired {
			continue
		}
		issuer := metrics.Issuer{Kind: o.Spec.IssuerRef.Kind, Name: o.Spec.IssuerRef.Name}
		if !clusterScoped(issuer.Kind) {
			issuer.Namespace = o.Namespace
		}
		plans = append(plans, metrics.Plan{Issuer: issuer, Ends: o.Status.OrderValidUntil.Time})
	}
	return plans
}

func clusterScoped(kind string) bool {
	return kind == v1alpha1.DigiCertClusterIssuerKind || kind == v1alpha1.OpenproviderClusterIssuerKind
}
