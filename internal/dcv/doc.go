// Package dcv publishes a CA's DNS domain control validation records through
// cert-manager's own DNS01 providers (route53, cloudDNS, cloudflare,
// azureDNS, rfc2136, acmeDNS, akamai, digitalocean), waits until the zone's
// authoritative nameservers serve them, asks the CA to check, and removes
// them again. The request path drives it one step per reconcile through a
// Runner, and stores the State it returns, so a restart neither publishes a
// record twice nor forgets one.
package dcv
