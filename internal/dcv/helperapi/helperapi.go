// Package helperapi is what the controller and the certorder-dns01 helper
// say to each other: one Request on the helper's stdin, one Result on its
// stdout. It imports no DNS provider, so the controller links none of the
// cloud SDKs.
package helperapi

import cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"

// Actions a Request asks for.
const (
	ActionPresent = "present"
	ActionCleanup = "cleanup"
)

// Request asks the helper to publish or remove one TXT record.
type Request struct {
	// Action is ActionPresent or ActionCleanup.
	Action string `json:"action"`
	// Provider names the provider of DNS01 to use, e.g. "route53".
	Provider string `json:"provider"`
	// DNS01 is the issuer's dcv.dns01 block.
	DNS01 *cmacme.ACMEChallengeSolverDNS01 `json:"dns01"`
	// Secrets are the values of the block's Secret references, keyed by
	// SecretKey. The controller reads them; the helper never reads the
	// Kubernetes API.
	Secrets map[string]string `json:"secrets,omitempty"`
	// Domain is the name validated, FQDN the record's name, Value its text.
	Domain string `json:"domain"`
	FQDN   string `json:"fqdn"`
	Value  string `json:"value"`
	// Ambient allows credentials from the environment.
	Ambient bool `json:"ambient,omitempty"`
	// Nameservers are recursive resolvers (host:port); empty means the
	// system's.
	Nameservers []string `json:"nameservers,omitempty"`
	// UserAgent is sent to DNS provider APIs.
	UserAgent string `json:"userAgent,omitempty"`
}

// Result is the helper's answer: OK, or the error that stopped it.
type Result struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// SecretKey is the key of Secret name's key in Request.Secrets.
func SecretKey(name, key string) string { return name + "/" + key }
