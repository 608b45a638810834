// Package cloud builds cert-manager's cloud DNS01 providers (route53,
// cloudDNS, cloudflare, azureDNS, acmeDNS, akamai, digitalocean) from a
// helperapi.Request. Only the certorder-dns01 helper imports it: their
// SDKs would add a large share to the controller's binary, and so to its
// resident memory, for a call made once per DNS record.
package cloud
