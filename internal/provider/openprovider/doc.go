// Package openprovider implements provider.Provider on Openprovider's REST
// API (v1beta, SSL). The wire contract and its gotchas are in
// CA-API-NOTES.md section B; the choices it leaves open are commented where
// they are made.
//
// A Client is one issuer's view of one Openprovider account. Clients of the
// same credential share a token (TokenCache) and a rate limiter
// (provider.Limiters); the Factory wires both.
package openprovider
