package openprovider

import (
	"encoding/json"
	"time"
)

// The request and answer shapes of swagger/ssl.swagger.json and
// swagger/auth.swagger.json in openprovider/api-documentation.

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	IP       string `json:"ip"`
}

type loginData struct {
	Token      string `json:"token"`
	ResellerID int    `json:"reseller_id"`
}

type validationMethod struct {
	HostName string `json:"host_name"`
	Method   string `json:"method"`
}

type createOrderRequest struct {
	ProductID               int64              `json:"product_id"`
	Period                  int                `json:"period"`
	CSR                     string             `json:"csr"`
	SoftwareID              string             `json:"software_id"`
	HostNames               []string           `json:"host_names,omitempty"`
	OrganizationHandle      string             `json:"organization_handle,omitempty"`
	TechnicalHandle         string             `json:"technical_handle,omitempty"`
	ApproverEmail           string             `json:"approver_email,omitempty"`
	DomainValidationMethods []validationMethod `json:"domain_validation_methods"`
	SignatureHashAlgorithm  string             `json:"signature_hash_algorithm"`
	Autorenew               string             `json:"autorenew"`
	EnableDNSAutomation     bool               `json:"enable_dns_automation"`
	// StartProvision must be true: without it the order stays PAI (paid)
	// and is never sent to the CA.
	StartProvision bool `json:"start_provision"`
}

// reissueRequest is the swagger's ReissueOrderRequest.
type reissueRequest struct {
	ID                      int                `json:"id"`
	CSR                     string             `json:"csr"`
	ApproverEmail           string             `json:"approver_email,omitempty"`
	DomainValidationMethods []validationMethod `json:"domain_validation_methods"`
	HostNames               []string           `json:"host_names,omitempty"`
	OrganizationHandle      string             `json:"organization_handle,omitempty"`
	SignatureHashAlgorithm  string             `json:"signature_hash_algorithm"`
	SoftwareID              string             `json:"software_id"`
	EnableDNSAutomation     bool               `json:"enable_dns_automation"`
}

// provisionRequest is the part of the swagger's UpdateOrderRequest that
// sends a paid (PAI) order to the CA.
type provisionRequest struct {
	ID             int  `json:"id"`
	StartProvision bool `json:"start_provision"`
}

// renewRequest is the swagger's RenewOrderRequest.
type renewRequest struct {
	ID                  int  `json:"id"`
	EnableDNSAutomation bool `json:"enable_dns_automation"`
}

type idData struct {
	ID int `json:"id"`
}

// order is an SSL order. The validation fields are only shown to the user,
// so they are kept raw and rendered leniently.
type order struct {
	ID                       int             `json:"id"`
	ProductID                int64           `json:"product_id"`
	Status                   string          `json:"status"`
	CommonName               string          `json:"common_name"`
	HostNames                []string        `json:"host_names"`
	CSR                      string          `json:"csr"`
	Certificate              string          `json:"certificate"`
	IntermediateCertificate  string          `json:"intermediate_certificate"`
	RootCertificate          string          `json:"root_certificate"`
	OrderDate                string          `json:"order_date"`
	ExpirationDate           string          `json:"expiration_date"`
	OrderEndsAt              string          `json:"order_ends_at"`
	EmailApprover            string          `json:"email_approver"`
	DomainValidationStatuses json.RawMessage `json:"domain_validation_statuses"`
	AdditionalData           json.RawMessage `json:"additional_data"`
}

type orderList struct {
	Results []order `json:"results"`
	Total   int     `json:"total"`
}

// dcvData is one entry of additional_data: what to publish for one name.
type dcvData struct {
	Domain       string `json:"domain"`
	DNSRecord    string `json:"dns_record"`
	DNSValue     string `json:"dns_value"`
	FileLocation string `json:"file_location"`
	FileContents string `json:"file_contents"`
	Token        string `json:"token"`
	URL          string `json:"url"`
}

// dateLayout is Openprovider's "YYYY-MM-DD hh:mm:ss" (the swagger's examples
// also show a one-digit hour, which this layout accepts). The dates carry no
// time zone; they are read as UTC. Should they be Amsterdam time, they read
// one or two hours late, which errs on the safe side for "ordered since".
const dateLayout = "2006-01-02 15:04:05"

// parseDate returns the zero time for an empty or unreadable date.
func parseDate(s string) time.Time {
	t, err := time.ParseInLocation(dateLayout, s, time.UTC)
	if err != nil {
		return time.Time{}
	}
	return t
}

// validUntil is the end of the order (plan), or of the certificate when the
// order's end is not given.
func (o *order) validUntil() time.Time {
	if t := parseDate(o.OrderEndsAt); !t.IsZero() {
		return t
	}
	return parseDate(o.ExpirationDate)
}
