package controllers

import (
	"context"
	"errors"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/policy"
)

// +kubebuilder:rbac:groups="",resources=namespaces,verbs=get

// PolicyAdmit is the AdmitFunc of the issuers' guardrails: allowedNamespaces
// and allowedDNSNames on every submission, and the new-order budget, counted
// from the CertificateOrders, on new paid orders. Namespaces are read
// uncached, only for an issuer that sets allowedNamespaces; the
// CertificateOrders come from the cache, only those that recorded a new
// order of the issuer (newOrdersIndex): a paid submission reads the ledgers
// of the issuer's recent new orders, not every ledger of the namespace or
// the cluster.
func PolicyAdmit(cached client.Reader, uncached client.Reader, clk clock.PassiveClock) AdmitFunc {
	return func(ctx context.Context, a Admission) error {
		in := policy.Input{
			Issuer:     policy.Issuer{Kind: a.IssuerKind, Name: a.Issuer.GetName(), Namespace: a.Issuer.GetNamespace()},
			Guardrails: a.Issuer.Settings().Guardrails,
			Namespace:  a.Request.Namespace,
			DNSNames:   append([]string{a.CommonName}, a.DNSNames...),
			NewOrder:   a.NewOrder,
			Now:        clk.Now(),
		}
		if in.Guardrails.AllowedNamespaces != nil {
			var ns corev1.Namespace
			if err := uncached.Get(ctx, client.ObjectKey{Name: a.Request.Namespace}, &ns); err != nil {
				return fmt.Errorf("reading namespace %s for allowedNamespaces: %w", a.Request.Namespace, err)
			}
			in.NamespaceLabels = ns.Labels
		}
		if a.NewOrder {
			var orders v1alpha1.CertificateOrderList
			byIssuer := client.MatchingFields{newOrdersIndex: in.Issuer.Kind + "/" + in.Issuer.Name}
			if err := cached.List(ctx, &orders, client.InNamespace(in.Issuer.Namespace), byIssuer); err != nil {
				return fmt.Errorf("listing CertificateOrders for the new-order budget: %w", err)
			}
			in.Orders = orders.Items
		}
		return fromPolicy(policy.Admit(ctx, in))
	}
}

// fromPolicy maps the policy's typed errors onto the request path's.
func fromPolicy(err error) error {
	var (
		refused *policy.Refused
		over    *policy.OverBudget
	)
	switch {
	case errors.As(err, &refused):
		return &RefusedError{Rule: "the issuer's " + refused.Rule, Err: refused.Err}
	case errors.As(err, &over):
		return &DeferredError{Cause: CauseBudgetReached, RetryAfter: over.RetryAfter, Err: over}
	default:
		return err
	}
}
