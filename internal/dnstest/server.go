package dnstest

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// Options configure a Server.
type Options struct {
	// Zone served, for example "example.com".
	Zone string
	// Nameservers are the host names the zone's NS records list; default
	// ns1.<zone>.
	Nameservers []string
	// TSIGKeyName and TSIGSecret (base64) are the one key allowed to update
	// the zone. Without them every update is refused.
	TSIGKeyName string
	TSIGSecret  string
}

// Server is one running DNS server, on the same loopback port for UDP and
// TCP.
type Server struct {
	// Addr is host:port of both listeners.
	Addr string

	zone    string
	ns      []string
	keyFQDN string
	udp     *dns.Server
	tcp     *dns.Server

	mu sync.Mutex
	zoneData
}

// Start listens on a free loopback port and serves until Close.
func Start(opts Options) (*Server, error) {
	if opts.Zone == "" {
		return nil, errors.New("dnstest: a zone is required")
	}
	s := &Server{zone: dns.CanonicalName(opts.Zone), zoneData: newZoneData()}
	for _, n := range opts.Nameservers {
		s.ns = append(s.ns, dns.CanonicalName(n))
	}
	if len(s.ns) == 0 {
		s.ns = []string{"ns1." + s.zone}
	}
	var secrets map[string]string
	if opts.TSIGKeyName != "" {
		s.keyFQDN = dns.CanonicalName(opts.TSIGKeyName)
		secrets = map[string]string{s.keyFQDN: opts.TSIGSecret}
	}
	pc, l, err := listenPair()
	if err != nil {
		return nil, err
	}
	s.Addr = pc.LocalAddr().String()
	s.udp = &dns.Server{PacketConn: pc, Handler: s, TsigSecret: secrets, MsgAcceptFunc: acceptUpdates}
	s.tcp = &dns.Server{Listener: l, Handler: s, TsigSecret: secrets, MsgAcceptFunc: acceptUpdates}
	if err := startAll(s.udp, s.tcp); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// listenPair finds a port free for both UDP and TCP on 127.0.0.1. The UDP
// port is chosen by the kernel; when its TCP twin is taken, it tries again.
func listenPair() (net.PacketConn, net.Listener, error) {
	var lastErr error
	for range 20 {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, fmt.Errorf("dnstest: listening on UDP: %w", err)
		}
		port := pc.LocalAddr().(*net.UDPAddr).Port
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err == nil {
			return pc, l, nil
		}
		lastErr = err
		_ = pc.Close()
	}
	return nil, nil, fmt.Errorf("dnstest: no port free for both UDP and TCP: %w", lastErr)
}

// startAll starts the servers and waits until each is serving.
func startAll(servers ...*dns.Server) error {
	errs := make(chan error, len(servers))
	for _, srv := range servers {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		go func() { errs <- srv.ActivateAndServe() }()
		select {
		case <-started:
		case err := <-errs:
			return fmt.Errorf("dnstest: serving: %w", err)
		case <-time.After(10 * time.Second):
			return errors.New("dnstest: the server did not start")
		}
	}
	return nil
}

// acceptUpdates is miekg/dns's default filter, except that it lets
// dynamic updates (whose sections hold many records) through.
func acceptUpdates(dh dns.Header) dns.MsgAcceptAction {
	if dh.Bits&(1<<15) != 0 { // QR: a response
		return dns.MsgIgnore
	}
	if opcode := int(dh.Bits>>11) & 0xF; opcode == dns.OpcodeUpdate {
		if dh.Qdcount != 1 {
			return dns.MsgReject
		}
		return dns.MsgAccept
	}
	return dns.DefaultMsgAcceptFunc(dh)
}

// Close stops both listeners.
func (s *Server) Close() {
	for _, srv := range []*dns.Server{s.udp, s.tcp} {
		if srv != nil {
			_ = srv.Shutdown()
		}
	}
}

// Zone is the served zone, fully qualified.
func (s *Server) Zone() string { return s.zone }

// TXT returns the TXT values at name, in the order they were added.
func (s *Server) TXT(name string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.values(dns.CanonicalName(name))
}

// SetTXT replaces the TXT values at name, bypassing updates (to seed a
// test).
func (s *Server) SetTXT(name string, values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	name = dns.CanonicalName(name)
	s.deleteName(name)
	for _, v := range values {
		s.add(name, v)
	}
}

// Updates counts the updates applied and refused so far.
func (s *Server) Updates() (applied, refused int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.applied, s.refused
}

// inZone reports whether name is the zone apex or below it.
func (s *Server) inZone(name string) bool {
	return dns.IsSubDomain(s.zone, name)
}

func (s *Server) String() string {
	return fmt.Sprintf("dnstest %s at %s (ns %s)", s.zone, s.Addr, strings.Join(s.ns, ","))
}
