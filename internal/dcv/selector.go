package dcv

import (
	"slices"
	"strings"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
)

// Selects reports whether the selector picks domain. A nil or empty
// selector picks every name, as an ACME solver's does. A wildcard in
// dnsNames also picks its base domain, which is what the CA validates.
func Selects(sel *v1alpha1.DCVSelector, domain string) bool {
	if sel == nil || (len(sel.DNSNames) == 0 && len(sel.DNSZones) == 0) {
		return true
	}
	d := canonical(domain)
	if slices.ContainsFunc(sel.DNSNames, func(n string) bool {
		n = canonical(n)
		return n == d || n == "*."+d
	}) {
		return true
	}
	return slices.ContainsFunc(sel.DNSZones, func(z string) bool {
		z = canonical(z)
		return d == z || strings.HasSuffix(d, "."+z)
	})
}

// canonical lower-cases a name and drops its final dot.
func canonical(name string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), "."))
}
