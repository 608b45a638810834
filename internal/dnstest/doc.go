// Package dnstest runs a small authoritative DNS server on loopback for
// tests and demos: one zone, answering SOA, NS and TXT queries, and taking
// RFC 2136 dynamic updates signed with TSIG (RFC 8945), the way
// cert-manager's rfc2136 DNS01 provider sends them. It is built on
// github.com/miekg/dns, the library cert-manager and CoreDNS use.
package dnstest
