package provider

import "context"

// DNSRecord is one TXT record a CA looks for while it validates a domain.
type DNSRecord struct {
	// Domain is the name being validated, as the CA names it (a wildcard's
	// base domain, say).
	Domain string
	// Name is the fully qualified name of the TXT record, with the final
	// dot.
	Name string
	// Value is the TXT value the CA expects.
	Value string
}

// DomainValidation is the CA's verdict on one domain of an order.
type DomainValidation struct {
	Domain string
	// Validated is true once the CA accepted the domain.
	Validated bool
	// Status is the CA's own word for it ("approved", "pending").
	Status string
}

// DNSValidator is implemented by providers whose orders can be validated
// with a DNS TXT record that certorder publishes itself. It is optional:
// callers find it with a type assertion.
type DNSValidator interface {
	// DNSRecords returns the TXT records of the names of the submission
	// still pending validation; none when the CA expects no DNS record
	// (another validation method, or nothing left to validate).
	DNSRecords(ctx context.Context, h Handle) ([]DNSRecord, error)
	// CheckDNS asks the CA to look for the records now and returns its
	// verdict per domain. A CA that rechecks on its own returns the state
	// it reports.
	CheckDNS(ctx context.Context, h Handle) ([]DomainValidation, error)
}
