// Package clusterstate reads certorder's issuers and CertificateOrders
// from a client.Reader (the manager's cache) into the metrics package's
// inventory, which its collector turns into gauges at scrape time.
package clusterstate

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/metrics"
)

// issuerLists are empty lists of the four issuer kinds, by kind.
var issuerLists = map[string]func() client.ObjectList{
	v1alpha1.DigiCertIssuerKind:            func() client.ObjectList { return &v1alpha1.DigiCertIssuerList{} },
	v1alpha1.DigiCertClusterIssuerKind:     func() client.ObjectList { return &v1alpha1.DigiCertClusterIssuerList{} },
	v1alpha1.OpenproviderIssuerKind:        func() client.ObjectList { return &v1alpha1.OpenproviderIssuerList{} },
	v1alpha1.OpenproviderClusterIssuerKind: func() client.ObjectList { return &v1alpha1.OpenproviderClusterIssuerList{} },
}

// statusHolder is what every issuer kind has.
type statusHolder interface {
	client.Object
	GetStatus() *v1alpha1.IssuerStatus
}

// Source reads the inventory from r.
func Source(r client.Reader) metrics.InventorySource {
	return func(ctx context.Context) (metrics.Inventory, error) {
		var inv metrics.Inventory
		for kind, newList := range issuerLists {
			issuers, err := listIssuers(ctx, r, kind, newList())
			if err != nil {
				return metrics.Inventory{}, err
			}
			inv.Issuers = append(inv.Issuers, issuers...)
		}
		plans, err := listPlans(ctx, r)
		if err != nil {
			return metrics.Inventory{}, err
		}
		inv.Plans = plans
		return inv, nil
	}
}

func listIssuers(ctx context.Context, r client.Reader, kind string, list client.ObjectList) ([]metrics.Issuer, error) {
	if err := r.List(ctx, list); err != nil {
		return nil, fmt.Errorf("listing %s: %w", kind, err)
	}
	items, err := meta.ExtractList(list)
	if err != nil {
		return nil, fmt.Errorf("reading the %s list: %w", kind, err)
	}
	issuers := make([]metrics.Issuer, 0, len(items))
	for _, item := range items {
		iss, ok := item.(statusHolder)
		if !ok {
			return nil, fmt.Errorf("a %s without an issuer status: %T", kind, item)
		}
		issuers = append(issuers, metrics.Issuer{
			Kind: kind, Namespace: iss.GetNamespace(), Name: iss.GetName(),
			Ready: meta.IsStatusConditionTrue(iss.GetStatus().Conditions, v1alpha1.ConditionReady),
		})
	}
	return issuers, nil
}

// listPlans returns the plan end of every order that can still serve a
// renewal: one with a plan end that is neither failed nor expired. An
// order placed through a namespaced issuer lives in that issuer's
// namespace.
func listPlans(ctx context.Context, r client.Reader) ([]metrics.Plan, error) {
	var orders v1alpha1.CertificateOrderList
	if err := r.List(ctx, &orders); err != nil {
		return nil, fmt.Errorf("listing CertificateOrders: %w", err)
	}
	var plans []metrics.Plan
	for _, o := range orders.Items {
		if o.Status.OrderValidUntil == nil || o.Status.State == v1alpha1.OrderFailed || o.Status.State == v1alpha1.OrderExpired {
			continue
		}
		issuer := metrics.Issuer{Kind: o.Spec.IssuerRef.Kind, Name: o.Spec.IssuerRef.Name}
		if !clusterScoped(issuer.Kind) {
			issuer.Namespace = o.Namespace
		}
		plans = append(plans, metrics.Plan{Issuer: issuer, Ends: o.Status.OrderValidUntil.Time})
	}
	return plans, nil
}

func clusterScoped(kind string) bool {
	return kind == v1alpha1.DigiCertClusterIssuerKind || kind == v1alpha1.OpenproviderClusterIssuerKind
}
