// Package dcv publishes a CA's DNS domain control validation records through
// cert-manager's own DNS01 providers, waits until the zone's authoritative
// nameservers serve them, asks the CA to check, and removes them again. The
// request path drives it one step per reconcile through a Runner, and
// stores the State it returns, so a restart neither publishes a record
// twice nor forgets one.
//
// rfc2136 runs in-process. The cloud providers (route53, cloudDNS,
// cloudflare, azureDNS, acmeDNS, akamai, digitalocean) run in the
// certorder-dns01 helper (cmd/certorder-dns01, package cloud), one short
// process per record, so the controller does not link their SDKs.
package dcv
