package dnstest

import (
	"strings"
	"time"

	"github.com/miekg/dns"
)

const ttl = 60

// ServeDNS answers queries and applies updates.
func (s *Server) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	resp := new(dns.Msg)
	resp.SetReply(req)
	resp.Authoritative = true
	if req.Opcode == dns.OpcodeUpdate {
		s.update(w, req, resp)
	} else {
		s.query(req, resp)
	}
	_ = w.WriteMsg(resp)
}

// query answers one question from the zone.
func (s *Server) query(req *dns.Msg, resp *dns.Msg) {
	if len(req.Question) != 1 {
		resp.Rcode = dns.RcodeFormatError
		return
	}
	q := req.Question[0]
	name := dns.CanonicalName(q.Name)
	if !s.inZone(name) {
		resp.Authoritative = false
		resp.Rcode = dns.RcodeRefused
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	apex := name == s.zone
	switch {
	case apex && q.Qtype == dns.TypeSOA:
		resp.Answer = append(resp.Answer, s.soa())
	case apex && q.Qtype == dns.TypeNS:
		for _, ns := range s.ns {
			resp.Answer = append(resp.Answer, &dns.NS{Hdr: s.hdr(s.zone, dns.TypeNS), Ns: ns})
		}
	case q.Qtype == dns.TypeTXT:
		for _, v := range s.values(name) {
			resp.Answer = append(resp.Answer, &dns.TXT{Hdr: s.hdr(name, dns.TypeTXT), Txt: []string{v}})
		}
	}
	if len(resp.Answer) > 0 {
		return
	}
	if !apex && !s.exists(name) && !s.hasBelow(name) {
		resp.Rcode = dns.RcodeNameError
	}
	resp.Ns = append(resp.Ns, s.soa())
}

// hasBelow reports whether a name below name holds records (so name is an
// empty non-terminal, not NXDOMAIN).
func (s *Server) hasBelow(name string) bool {
	for n := range s.txt {
		if strings.HasSuffix(n, "."+name) {
			return true
		}
	}
	return false
}

func (s *Server) hdr(name string, t uint16) dns.RR_Header {
	return dns.RR_Header{Name: name, Rrtype: t, Class: dns.ClassINET, Ttl: ttl}
}

func (s *Server) soa() dns.RR {
	return &dns.SOA{
		Hdr: s.hdr(s.zone, dns.TypeSOA), Ns: s.ns[0], Mbox: "hostmaster." + s.zone,
		Serial: uint32(s.applied + 1), Refresh: 3600, Retry: 600, Expire: 86400, Minttl: ttl,
	}
}

// update applies an RFC 2136 update signed with the zone's TSIG key. A
// missing or bad signature gets NOTAUTH (RFC 8945 section 5.2), a record
// outside the zone NOTZONE, and anything but TXT changes NOTIMP.
func (s *Server) update(w dns.ResponseWriter, req *dns.Msg, resp *dns.Msg) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rcode := s.authorize(w, req); rcode != dns.RcodeSuccess {
		s.refused++
		resp.Rcode = rcode
		return
	}
	if len(req.Question) != 1 || dns.CanonicalName(req.Question[0].Name) != s.zone {
		s.refused++
		resp.Rcode = dns.RcodeNotAuth
		return
	}
	if rcode := s.prescan(req.Ns); rcode != dns.RcodeSuccess {
		s.refused++
		resp.Rcode = rcode
		return
	}
	for _, rr := range req.Ns {
		s.apply(rr)
	}
	s.applied++
	tsig := req.IsTsig()
	resp.SetTsig(tsig.Hdr.Name, tsig.Algorithm, 300, time.Now().Unix())
}

func (s *Server) authorize(w dns.ResponseWriter, req *dns.Msg) int {
	tsig := req.IsTsig()
	if s.keyFQDN == "" || tsig == nil || dns.CanonicalName(tsig.Hdr.Name) != s.keyFQDN || w.TsigStatus() != nil {
		return dns.RcodeNotAuth
	}
	return dns.RcodeSuccess
}

// prescan checks every change before any is applied (RFC 2136 section
// 3.4.1), so an update applies whole or not at all.
func (s *Server) prescan(changes []dns.RR) int {
	for _, rr := range changes {
		h := rr.Header()
		if !s.inZone(dns.CanonicalName(h.Name)) {
			return dns.RcodeNotZone
		}
		if h.Rrtype != dns.TypeTXT && h.Rrtype != dns.TypeANY {
			return dns.RcodeNotImplemented
		}
	}
	return dns.RcodeSuccess
}

// apply makes one change: class IN adds a record, NONE removes one, ANY
// removes the RRset (RFC 2136 section 2.5).
func (s *Server) apply(rr dns.RR) {
	h := rr.Header()
	name := dns.CanonicalName(h.Name)
	switch h.Class {
	case dns.ClassINET:
		if txt, ok := rr.(*dns.TXT); ok {
			s.add(name, strings.Join(txt.Txt, ""))
		}
	case dns.ClassNONE:
		if txt, ok := rr.(*dns.TXT); ok {
			s.remove(name, strings.Join(txt.Txt, ""))
		}
	case dns.ClassANY:
		s.deleteName(name)
	}
}
