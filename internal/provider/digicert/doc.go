// Package digicert is the client of DigiCert CertCentral (Services API v2)
// and its mapping onto the provider contract: new orders, reissues and
// duplicates, polling, recovery by CSR and the credential check.
//
// The wire contract, with its sources and gotchas, is section A of
// CA-API-NOTES.md. Every call goes through one provider.Caller, so it is
// rate limited per API key and never retried; its name for logs and metrics
// is the route template, such as "GET /order/certificate/{order_id}". The
// API key only ever travels in the X-DC-DEVKEY header: it is never logged
// and never part of an error.
package digicert
