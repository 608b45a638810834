package fake

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/fakeca"
)

var validationMethods = []string{"email", "dns", "http", "https"}

// checkCertRequest validates what orders and reissues share, as the CA would
// on receipt, and returns the common name read from the CSR.
func checkCertRequest(in certRequest) (string, *apiError) {
	csr, err := fakeca.ParseCSR(in.CSR)
	if err != nil {
		// A CA passthrough error, answered with HTTP 200: the code tells.
		return "", &apiError{status: http.StatusOK, code: codeCAPassthrough, desc: "Error from the CA", data: "invalid CSR: " + err.Error()}
	}
	cn := csr.Subject.CommonName
	if cn == "" && len(in.HostNames) > 0 {
		cn = in.HostNames[0]
	}
	names := certNames(cn, in.HostNames)
	var methodNames []string
	for _, m := range in.DomainValidationMethods {
		if !slices.Contains(validationMethods, m.Method) {
			return "", invalid("unknown domain validation method: ", m.Method)
		}
		if m.Method == "email" && in.ApproverEmail == "" {
			return "", invalid("approver_email is required for email validation")
		}
		methodNames = append(methodNames, m.HostName)
	}
	slices.Sort(methodNames)
	switch {
	case cn == "":
		return "", invalid("the CSR names no host")
	case slices.Contains(in.HostNames, cn):
		return "", invalid("host_names excludes the common name: ", cn)
	case !slices.Equal(sorted(certNames(csr.Subject.CommonName, csr.DNSNames)), sorted(names)):
		return "", invalid("host_names must be the CSR's SANs: ", csr.DNSNames...)
	case !slices.Equal(methodNames, sorted(names)):
		return "", invalid("domain_validation_methods must name exactly the CSR's hosts: ", names...)
	case in.SoftwareID != "linux" && in.SoftwareID != "windows":
		return "", invalid("software_id must be linux or windows")
	case in.SignatureHashAlgorithm != "" && in.SignatureHashAlgorithm != "sha2":
		return "", invalid("signature_hash_algorithm must be sha2")
	}
	return cn, nil
}

// certNames is the common name and the SANs, once each.
func certNames(cn string, hostNames []string) []string {
	var out []string
	for _, n := range append([]string{cn}, hostNames...) {
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// apply takes the names and CSR of an order or reissue.
func (o *order) apply(in certRequest, cn string) {
	o.view.CommonName = cn
	o.view.HostNames = slices.Clone(in.HostNames)
	o.view.CSR = in.CSR
	o.view.EmailApprover = in.ApproverEmail
	o.view.DomainValidationMethods = slices.Clone(in.DomainValidationMethods)
	o.view.Software = in.SoftwareID
	if in.OrganizationHandle != "" {
		o.view.OrganizationHandle = in.OrganizationHandle
	}
}

// request sends the order to the CA: REQ, waiting for validation.
func (o *order) request() {
	o.polls = 0
	o.view.Status = statusRequested
	o.view.Certificate, o.view.IntermediateCertificate, o.view.RootCertificate = "", "", ""
	o.view.DomainValidationStatuses = dvStatuses{CAOperation: "request", CAOrderStatus: "in_progress", CAStatus: "requested", Status: "open"}
	o.view.AdditionalData = []dvData{}
	for _, m := range o.view.DomainValidationMethods {
		sum := sha256.Sum256([]byte(o.view.CSR + m.HostName))
		token := hex.EncodeToString(sum[:])
		switch m.Method {
		case "dns":
			o.view.AdditionalData = append(o.view.AdditionalData, dvData{Domain: m.HostName, DNSRecord: "_" + token[:32] + "." + m.HostName, DNSValue: token[32:] + ".sectigo.com"})
		case "http", "https":
			o.view.AdditionalData = append(o.view.AdditionalData, dvData{Domain: m.HostName,
				FileLocation: m.Method + "://" + m.HostName + "/.well-known/pki-validation/" + strings.ToUpper(token[:32]) + ".txt", FileContents: token})
		}
	}
}

// poll is what a GET of the order shows, moving it along its lifecycle.
func (s *Server) poll(o *order) orderView {
	if o.staleLeft > 0 {
		o.staleLeft--
		return *o.stale
	}
	s.advance(o)
	return o.view
}

// advance counts one look at a REQ order, by a GET or a listing, and
// settles it after Behavior.PendingPolls (modelled: Openprovider's orders
// move on in time, the fake's as they are looked at).
func (s *Server) advance(o *order) {
	if o.view.Status == statusRequested {
		o.polls++
		if o.polls > o.behavior.PendingPolls && !s.awaitsDNS(o) {
			s.settle(o)
		}
	}
}

func (s *Server) settle(o *order) {
	switch {
	case o.behavior.Reject != "":
		o.end(statusRejected, o.behavior.Reject)
	case o.behavior.Fail != "":
		o.end(statusFailed, o.behavior.Fail)
	default:
		s.issue(o)
	}
}

func (o *order) end(status, reason string) {
	o.view.Status = status
	o.view.DomainValidationStatuses = dvStatuses{CAOperation: "request", CAOrderStatus: "closed", CAStatus: reason, Status: "failed"}
}

// issue signs the CSR with the order's names, valid at most until the end
// of the order and the CA/B limit.
func (s *Server) issue(o *order) {
	csr, err := fakeca.ParseCSR(o.view.CSR)
	if err != nil {
		o.end(statusFailed, err.Error())
		return
	}
	now := time.Now()
	validity := provider.MaxPublicValidity(now)
	if left := parseDate(o.view.OrderEndsAt).Sub(now); left > 0 && left < validity {
		validity = left
	}
	cert, err := s.CA().Sign(csr, o.view.CommonName, certNames(o.view.CommonName, o.view.HostNames), validity)
	if err != nil {
		o.end(statusFailed, err.Error())
		return
	}
	o.view.Status = statusActive
	o.view.Certificate = fakeca.PEM(cert)
	o.view.IntermediateCertificate = fakeca.PEM(s.CA().Intermediate)
	o.view.RootCertificate = fakeca.PEM(s.CA().Root)
	o.view.ActiveDate = formatDate(now)
	o.view.ExpirationDate = formatDate(cert.NotAfter)
	o.view.DomainValidationStatuses = dvStatuses{CAOperation: "issue", CAOrderStatus: "completed", CAStatus: "issued", Status: "validated"}
	o.view.AdditionalData = []dvData{}
}
