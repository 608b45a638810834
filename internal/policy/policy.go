// Package policy decides, before anything is sent to a CA, whether an
// issuer may serve a request: the namespaces and names it allows, and its
// budget of new, paid orders. It is pure: the caller loads the objects and
// maps the typed errors onto the request's status.
package policy

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/certorder/certorder/api/v1alpha1"
)

// Window is the rolling period of the new-order budget.
const Window = 24 * time.Hour

// Issuer names an issuer: Namespace is empty for a cluster issuer.
type Issuer struct {
	Kind, Name, Namespace string
}

func (i Issuer) String() string {
	if i.Namespace == "" {
		return i.Kind + " " + i.Name
	}
	return fmt.Sprintf("%s %s/%s", i.Kind, i.Namespace, i.Name)
}

// Input is what Admit decides on.
type Input struct {
	Issuer     Issuer
	Guardrails v1alpha1.Guardrails
	// Namespace of the request and its labels, for allowedNamespaces.
	Namespace       string
	NamespaceLabels map[string]string
	// DNSNames are every name of the request (internal/csr's Info.DNSNames).
	DNSNames []string
	// NewOrder is true when the request would place a new, paid order;
	// reissues and duplicates are free and not budgeted.
	NewOrder bool
	// Orders are CertificateOrders that may belong to the issuer: every
	// namespace's for a cluster issuer, the issuer's namespace's otherwise.
	// Only the issuer's own are counted.
	Orders []v1alpha1.CertificateOrder
	Now    time.Time
}

// Admit returns nil when the issuer may serve the request, a *Refused when
// it never may (the request should fail), or an *OverBudget when it may
// once the budget allows (the request should stay pending).
func Admit(ctx context.Context, in Input) error {
	err := admit(in)
	if err != nil {
		log.FromContext(ctx).V(1).Info("policy did not admit the request", "issuer", in.Issuer.String(), "reason", err.Error())
	}
	return err
}

func admit(in Input) error {
	if err := checkNamespace(in); err != nil {
		return err
	}
	if err := checkNames(in.Guardrails.AllowedDNSNames, in.DNSNames); err != nil {
		return &Refused{Rule: "allowedDNSNames", Err: fmt.Errorf("%s: %w", in.Issuer, err)}
	}
	if !in.NewOrder {
		return nil
	}
	budget := Budget(in.Guardrails)
	used, oldest := CountNewOrders(in.Orders, in.Issuer, in.Now)
	if used < budget {
		return nil
	}
	return &OverBudget{Issuer: in.Issuer, Budget: budget, Used: used, RetryAfter: retryAfter(budget, oldest, in.Now)}
}

func checkNamespace(in Input) error {
	sel := in.Guardrails.AllowedNamespaces
	if sel == nil {
		return nil
	}
	if in.Issuer.Namespace != "" {
		return &Refused{Rule: "allowedNamespaces", Err: fmt.Errorf("%s sets allowedNamespaces, which only cluster issuers may", in.Issuer)}
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return &Refused{Rule: "allowedNamespaces", Err: fmt.Errorf("%s has an invalid allowedNamespaces selector: %w", in.Issuer, err)}
	}
	if !s.Matches(labels.Set(in.NamespaceLabels)) {
		return &Refused{Rule: "allowedNamespaces", Err: fmt.Errorf("%s does not serve namespace %s: its labels do not match %s", in.Issuer, in.Namespace, s)}
	}
	return nil
}

// checkNames requires every name to match one of the patterns; no
// patterns allow any name.
func checkNames(patterns, names []string) error {
	if len(patterns) == 0 {
		return nil
	}
	var outside []string
	for _, n := range names {
		if !matchesAny(patterns, n) {
			outside = append(outside, n)
		}
	}
	if len(outside) > 0 {
		return fmt.Errorf("the names %s are outside allowedDNSNames %s", strings.Join(outside, ", "), strings.Join(patterns, ", "))
	}
	return nil
}

// Match tells whether a name matches a pattern: the same name, or, for
// *.domain, any name under the domain (at any depth, wildcards included),
// but not the domain itself. Case does not matter.
func Match(pattern, name string) bool {
	pattern, name = strings.ToLower(pattern), strings.ToLower(name)
	if domain, ok := strings.CutPrefix(pattern, "*."); ok {
		return strings.HasSuffix(name, "."+domain) && len(name) > len(domain)+1
	}
	return pattern == name
}

func matchesAny(patterns []string, name string) bool {
	for _, p := range patterns {
		if Match(p, name) {
			return true
		}
	}
	return false
}

// Budget is the issuer's new-order budget, its default when unset.
func Budget(g v1alpha1.Guardrails) int {
	if g.NewOrderBudget == nil {
		return v1alpha1.DefaultNewOrderBudget
	}
	return int(*g.NewOrderBudget)
}

// CountNewOrders counts the new orders the issuer placed in the Window up
// to now, from its CertificateOrders' status.newOrdersPlaced, and returns
// the times counted, oldest first.
func CountNewOrders(orders []v1alpha1.CertificateOrder, issuer Issuer, now time.Time) (int, []time.Time) {
	var placed []time.Time
	since := now.Add(-Window)
	for i := range orders {
		o := &orders[i]
		if !belongs(o, issuer) {
			continue
		}
		for _, t := range o.Status.NewOrdersPlaced {
			if t.After(since) && !t.After(now) {
				placed = append(placed, t.Time)
			}
		}
	}
	slices.SortFunc(placed, time.Time.Compare)
	return len(placed), placed
}

func belongs(o *v1alpha1.CertificateOrder, issuer Issuer) bool {
	if o.Spec.IssuerRef.Kind != issuer.Kind || o.Spec.IssuerRef.Name != issuer.Name {
		return false
	}
	// A namespaced issuer serves only its own namespace.
	return issuer.Namespace == "" || o.Namespace == issuer.Namespace
}

// retryAfter is when enough counted orders leave the window for one more
// to fit; at least a minute, so a clock skew never spins.
func retryAfter(budget int, placed []time.Time, now time.Time) time.Duration {
	if budget == 0 {
		// Only raising the budget helps: look again in an hour.
		return time.Hour
	}
	// The (used-budget+1)-th oldest must leave for one to fit.
	leaves := placed[len(placed)-budget].Add(Window)
	return max(leaves.Sub(now), time.Minute)
}
