package policy_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/policy"
)

var (
	now     = time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	cluster = policy.Issuer{Kind: v1alpha1.DigiCertClusterIssuerKind, Name: "paid"}
	local   = policy.Issuer{Kind: v1alpha1.DigiCertIssuerKind, Name: "paid", Namespace: "team-a"}
)

// ledger is a CertificateOrder of issuer in ns with new orders placed ago.
func ledger(ns string, issuer policy.Issuer, ago ...time.Duration) v1alpha1.CertificateOrder {
	o := v1alpha1.CertificateOrder{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns},
		Spec:       v1alpha1.CertificateOrderSpec{IssuerRef: v1alpha1.IssuerReference{Kind: issuer.Kind, Name: issuer.Name}},
	}
	for _, a := range ago {
		o.Status.NewOrdersPlaced = append(o.Status.NewOrdersPlaced, metav1.NewTime(now.Add(-a)))
	}
	return o
}

func TestAdmit(t *testing.T) {
	prod := &metav1.LabelSelector{MatchLabels: map[string]string{"tier": "prod"}}
	three := v1alpha1.Guardrails{NewOrderBudget: ptr.To[int32](3)}
	full := []v1alpha1.CertificateOrder{ledger("a", cluster, time.Hour, 2*time.Hour), ledger("b", cluster, 3*time.Hour)}
	for _, tc := range []struct {
		name     string
		in       policy.Input
		wantRule string // a *Refused naming it
		wantOver string // an *OverBudget whose message holds it
	}{
		{name: "no guardrails", in: policy.Input{Issuer: cluster, DNSNames: []string{"a.example.com"}, NewOrder: true}},
		{name: "namespace selected", in: policy.Input{Issuer: cluster, Guardrails: v1alpha1.Guardrails{AllowedNamespaces: prod},
			Namespace: "shop", NamespaceLabels: map[string]string{"tier": "prod"}}},
		{name: "namespace not selected", in: policy.Input{Issuer: cluster, Guardrails: v1alpha1.Guardrails{AllowedNamespaces: prod},
			Namespace: "sandbox", NamespaceLabels: map[string]string{"tier": "dev"}}, wantRule: "allowedNamespaces"},
		{name: "namespace without labels", in: policy.Input{Issuer: cluster, Guardrails: v1alpha1.Guardrails{AllowedNamespaces: prod},
			Namespace: "sandbox"}, wantRule: "allowedNamespaces"},
		{name: "empty selector selects every namespace", in: policy.Input{Issuer: cluster, Guardrails: v1alpha1.Guardrails{AllowedNamespaces: &metav1.LabelSelector{}},
			Namespace: "any"}},
		{name: "invalid selector", in: policy.Input{Issuer: cluster, Guardrails: v1alpha1.Guardrails{AllowedNamespaces: &metav1.LabelSelector{
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: "Near"}}}}}, wantRule: "allowedNamespaces"},
		{name: "allowedNamespaces on a namespaced issuer", in: policy.Input{Issuer: local, Guardrails: v1alpha1.Guardrails{AllowedNamespaces: prod},
			Namespace: "team-a", NamespaceLabels: map[string]string{"tier": "prod"}}, wantRule: "allowedNamespaces"},
		{name: "names inside the patterns", in: policy.Input{Issuer: local, Guardrails: v1alpha1.Guardrails{AllowedDNSNames: []string{"*.shop.example.com", "shop.example.com"}},
			DNSNames: []string{"shop.example.com", "www.shop.example.com", "*.shop.example.com", "a.b.shop.example.com"}}},
		{name: "one name outside", in: policy.Input{Issuer: local, Guardrails: v1alpha1.Guardrails{AllowedDNSNames: []string{"*.shop.example.com"}},
			DNSNames: []string{"www.shop.example.com", "www.bank.example.com"}}, wantRule: "allowedDNSNames"},
		{name: "the wildcard's own domain", in: policy.Input{Issuer: local, Guardrails: v1alpha1.Guardrails{AllowedDNSNames: []string{"*.shop.example.com"}},
			DNSNames: []string{"shop.example.com"}}, wantRule: "allowedDNSNames"},
		{name: "a look-alike suffix", in: policy.Input{Issuer: local, Guardrails: v1alpha1.Guardrails{AllowedDNSNames: []string{"*.example.com"}},
			DNSNames: []string{"evilexample.com"}}, wantRule: "allowedDNSNames"},
		{name: "under budget", in: policy.Input{Issuer: cluster, Guardrails: three, NewOrder: true,
			Orders: []v1alpha1.CertificateOrder{ledger("a", cluster, time.Hour, 2*time.Hour)}, Now: now}},
		{name: "budget reached", in: policy.Input{Issuer: cluster, Guardrails: three, NewOrder: true, Orders: full, Now: now},
			wantOver: "has placed 3 new paid orders in the last 24h, its newOrderBudget is 3: waiting 21h0m0s"},
		{name: "budget reached, but a reissue is free", in: policy.Input{Issuer: cluster, Guardrails: three, Orders: full, Now: now}},
		{name: "orders older than 24h drop out", in: policy.Input{Issuer: cluster, Guardrails: three, NewOrder: true, Now: now,
			Orders: []v1alpha1.CertificateOrder{ledger("a", cluster, time.Hour, 25*time.Hour), ledger("b", cluster, 3*time.Hour, 48*time.Hour)}}},
		{name: "another issuer's orders do not count", in: policy.Input{Issuer: cluster, Guardrails: three, NewOrder: true, Now: now,
			Orders: []v1alpha1.CertificateOrder{ledger("a", cluster, time.Hour), ledger("a", policy.Issuer{Kind: v1alpha1.DigiCertClusterIssuerKind, Name: "other"}, time.Hour, time.Hour, time.Hour)}}},
		{name: "a namespaced issuer of the same name elsewhere does not count", in: policy.Input{Issuer: local, Guardrails: three, NewOrder: true, Now: now,
			Orders: []v1alpha1.CertificateOrder{ledger("team-a", local, time.Hour), ledger("team-b", local, time.Hour, time.Hour, time.Hour)}}},
		{name: "zero budget", in: policy.Input{Issuer: local, Guardrails: v1alpha1.Guardrails{NewOrderBudget: ptr.To[int32](0)}, NewOrder: true, Now: now},
			wantOver: "its newOrderBudget is 0"},
		{name: "default budget of 50 reached", in: policy.Input{Issuer: local, NewOrder: true, Now: now,
			Orders: []v1alpha1.CertificateOrder{ledger("team-a", local, repeat(50, time.Minute)...)}}, wantOver: "newOrderBudget is 50"},
		{name: "default budget, 49 used", in: policy.Input{Issuer: local, NewOrder: true, Now: now,
			Orders: []v1alpha1.CertificateOrder{ledger("team-a", local, repeat(49, time.Minute)...)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := policy.Admit(context.Background(), tc.in)
			var refused *policy.Refused
			var over *policy.OverBudget
			switch {
			case tc.wantRule != "":
				if !errors.As(err, &refused) || refused.Rule != tc.wantRule || !strings.Contains(err.Error(), tc.wantRule) {
					t.Errorf("got %v, want refused by %s", err, tc.wantRule)
				}
			case tc.wantOver != "":
				if !errors.As(err, &over) || !strings.Contains(err.Error(), tc.wantOver) || !strings.Contains(err.Error(), "raise spec.newOrderBudget") {
					t.Errorf("got %v, want over budget with %q", err, tc.wantOver)
				}
			case err != nil:
				t.Errorf("refused: %v", err)
			}
		})
	}
}

func repeat(n int, d time.Duration) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"www.example.com", "www.example.com", true},
		{"www.example.com", "WWW.Example.COM", true},
		{"www.example.com", "api.example.com", false},
		{"*.example.com", "a.example.com", true},
		{"*.example.com", "a.b.example.com", true},
		{"*.example.com", "*.example.com", true},
		{"*.example.com", "example.com", false},
		{"*.example.com", "badexample.com", false},
		{"*.example.com", "example.com.evil.test", false},
		{"*.example.com", ".example.com", false},
	} {
		if got := policy.Match(tc.pattern, tc.name); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}

func TestCountNewOrders(t *testing.T) {
	orders := []v1alpha1.CertificateOrder{
		ledger("a", cluster, time.Minute, 23*time.Hour+59*time.Minute, 24*time.Hour, -time.Hour),
		ledger("b", cluster, 5*time.Hour),
	}
	used, placed := policy.CountNewOrders(orders, cluster, now)
	if used != 3 || !placed[0].Equal(now.Add(-(23*time.Hour + 59*time.Minute))) || !placed[2].Equal(now.Add(-time.Minute)) {
		t.Errorf("counted %d %v: want 3, oldest first, without the one exactly 24h old or in the future", used, placed)
	}
}
