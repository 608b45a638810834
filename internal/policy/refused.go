package policy

import "fmt"

// Refused: the issuer's guardrails never allow the request. The request
// should fail (Ready=False/Failed) with this message; nothing is sent to
// the CA.
type Refused struct {
	// Rule is the spec field that refused: allowedNamespaces or
	// allowedDNSNames.
	Rule string
	Err  error
}

var _ error = &Refused{}

func (e *Refused) Error() string {
	return fmt.Sprintf("refused by the issuer's %s: %v", e.Rule, e.Err)
}

func (e *Refused) Unwrap() error { return e.Err }
