package dnstest

import (
	"testing"
	"time"

	"github.com/miekg/dns"
)

const (
	keyName = "certorder."
	secret  = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ=="
)

func start(t *testing.T) *Server {
	t.Helper()
	s, err := Start(Options{Zone: "example.com", Nameservers: []string{"ns1.example.com", "ns2.example.com"}, TSIGKeyName: keyName, TSIGSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func query(t *testing.T, s *Server, network, name string, qtype uint16) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	c := &dns.Client{Net: network, Timeout: 5 * time.Second}
	resp, _, err := c.Exchange(m, s.Addr)
	if err != nil {
		t.Fatalf("%s query %s: %v", network, name, err)
	}
	return resp
}

// update sends one TXT change signed with key/sec (unsigned when key is
// empty) and returns the server's rcode.
func update(t *testing.T, s *Server, zone, key, sec string, insert bool, name, value string) int {
	t.Helper()
	rr := &dns.TXT{Hdr: dns.RR_Header{Name: dns.Fqdn(name), Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 60}, Txt: []string{value}}
	m := new(dns.Msg)
	m.SetUpdate(dns.Fqdn(zone))
	if insert {
		m.Insert([]dns.RR{rr})
	} else {
		m.Remove([]dns.RR{rr})
	}
	c := &dns.Client{Net: "tcp", Timeout: 5 * time.Second}
	if key != "" {
		m.SetTsig(key, dns.HmacSHA256, 300, time.Now().Unix())
		c.TsigSecret = map[string]string{key: sec}
	}
	resp, _, err := c.Exchange(m, s.Addr)
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	return resp.Rcode
}

func TestQueries(t *testing.T) {
	s := start(t)
	s.SetTXT("_dnsauth.example.com", "v1")
	tests := []struct {
		name, network, qname string
		qtype                uint16
		rcode                int
		answers              int
	}{
		{"SOA at apex over UDP", "udp", "example.com", dns.TypeSOA, dns.RcodeSuccess, 1},
		{"SOA at apex over TCP", "tcp", "example.com", dns.TypeSOA, dns.RcodeSuccess, 1},
		{"NS at apex", "udp", "example.com", dns.TypeNS, dns.RcodeSuccess, 2},
		{"TXT present", "udp", "_dnsauth.example.com", dns.TypeTXT, dns.RcodeSuccess, 1},
		{"TXT name is case-insensitive", "udp", "_DNSAUTH.Example.COM", dns.TypeTXT, dns.RcodeSuccess, 1},
		{"missing name is NXDOMAIN", "udp", "nothing.example.com", dns.TypeTXT, dns.RcodeNameError, 0},
		{"SOA below apex is empty", "udp", "_dnsauth.example.com", dns.TypeSOA, dns.RcodeSuccess, 0},
		{"outside the zone is refused", "udp", "example.org", dns.TypeSOA, dns.RcodeRefused, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := query(t, s, tt.network, tt.qname, tt.qtype)
			if resp.Rcode != tt.rcode || len(resp.Answer) != tt.answers {
				t.Fatalf("rcode %s with %d answers, want %s with %d:\n%v",
					dns.RcodeToString[resp.Rcode], len(resp.Answer), dns.RcodeToString[tt.rcode], tt.answers, resp)
			}
		})
	}
}

func TestUpdates(t *testing.T) {
	tests := []struct {
		name      string
		zone, key string
		sec       string
		record    string
		rcode     int
		want      []string
	}{
		{"signed update applies", "example.com", keyName, secret, "_dnsauth.example.com", dns.RcodeSuccess, []string{"tok"}},
		{"wrong secret is NOTAUTH", "example.com", keyName, "d3Jvbmctc2VjcmV0", "_dnsauth.example.com", dns.RcodeNotAuth, nil},
		{"unknown key is NOTAUTH", "example.com", "other.", secret, "_dnsauth.example.com", dns.RcodeNotAuth, nil},
		{"unsigned is NOTAUTH", "example.com", "", "", "_dnsauth.example.com", dns.RcodeNotAuth, nil},
		{"record outside the zone is NOTZONE", "example.com", keyName, secret, "_dnsauth.example.org", dns.RcodeNotZone, nil},
		{"other zone is NOTAUTH", "example.org", keyName, secret, "_dnsauth.example.org", dns.RcodeNotAuth, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t)
			if rc := update(t, s, tt.zone, tt.key, tt.sec, true, tt.record, "tok"); rc != tt.rcode {
				t.Fatalf("rcode %s, want %s", dns.RcodeToString[rc], dns.RcodeToString[tt.rcode])
			}
			if got := s.TXT(tt.record); len(got) != len(tt.want) {
				t.Fatalf("TXT %v, want %v", got, tt.want)
			}
			applied, refused := s.Updates()
			if wantApplied := len(tt.want); applied != wantApplied || refused != 1-wantApplied {
				t.Fatalf("applied %d refused %d", applied, refused)
			}
		})
	}
}

func TestUpdateIsIdempotentAndRemoves(t *testing.T) {
	s := start(t)
	for range 2 {
		if rc := update(t, s, "example.com", keyName, secret, true, "_dnsauth.example.com", "tok"); rc != dns.RcodeSuccess {
			t.Fatalf("insert: %s", dns.RcodeToString[rc])
		}
	}
	update(t, s, "example.com", keyName, secret, true, "_dnsauth.example.com", "other")
	if got := s.TXT("_dnsauth.example.com"); len(got) != 2 {
		t.Fatalf("after inserts: %v, want tok and other once each", got)
	}
	if rc := update(t, s, "example.com", keyName, secret, false, "_dnsauth.example.com", "tok"); rc != dns.RcodeSuccess {
		t.Fatalf("remove: %s", dns.RcodeToString[rc])
	}
	if got := s.TXT("_dnsauth.example.com"); len(got) != 1 || got[0] != "other" {
		t.Fatalf("after remove: %v, want [other]", got)
	}
	if resp := query(t, s, "udp", "_dnsauth.example.com", dns.TypeTXT); len(resp.Answer) != 1 {
		t.Fatalf("query after remove: %v", resp)
	}
}

func TestStartsManyOnDistinctPorts(t *testing.T) {
	seen := map[string]bool{}
	for range 5 {
		s := start(t)
		if seen[s.Addr] {
			t.Fatalf("port %s handed out twice", s.Addr)
		}
		seen[s.Addr] = true
	}
}

func TestHasTXT(t *testing.T) {
	s := start(t)
	s.SetTXT("_dnsauth.example.com", "a", "b")
	for _, tt := range []struct {
		addr, name, value string
		want              bool
	}{
		{s.Addr, "_dnsauth.example.com", "b", true},
		{s.Addr, "_dnsauth.example.com.", "a", true},
		{s.Addr, "_dnsauth.example.com", "c", false},
		{s.Addr, "example.com", "a", false},
		{s.Addr, "example.org", "a", false},
		{"", "_dnsauth.example.com", "a", false},
	} {
		if got := HasTXT(tt.addr, tt.name, tt.value); got != tt.want {
			t.Errorf("HasTXT(%q, %q, %q) = %v, want %v", tt.addr, tt.name, tt.value, got, tt.want)
		}
	}
}
