package fake

import "time"

// The shapes of swagger/ssl.swagger.json, declared apart from the client's
// so that a misspelt field on either side shows in tests.

const (
	statusPaid      = "PAI"
	statusRequested = "REQ"
	statusActive    = "ACT"
	statusRejected  = "REJ"
	statusFailed    = "FAI"
	statusExpired   = "EXP"
)

type dvMethod struct {
	HostName string `json:"host_name"`
	Method   string `json:"method"`
}

type dvStatuses struct {
	CAOperation   string `json:"ca_operation,omitempty"`
	CAOrderStatus string `json:"ca_order_status,omitempty"`
	CAStatus      string `json:"ca_status,omitempty"`
	Status        string `json:"status,omitempty"`
}

type dvData struct {
	Domain       string `json:"domain"`
	DNSRecord    string `json:"dns_record,omitempty"`
	DNSValue     string `json:"dns_value,omitempty"`
	FileLocation string `json:"file_location,omitempty"`
	FileContents string `json:"file_contents,omitempty"`
}

// certRequest holds the fields shared by orders and reissues.
type certRequest struct {
	CSR                     string     `json:"csr"`
	HostNames               []string   `json:"host_names"`
	ApproverEmail           string     `json:"approver_email"`
	DomainValidationMethods []dvMethod `json:"domain_validation_methods"`
	OrganizationHandle      string     `json:"organization_handle"`
	SignatureHashAlgorithm  string     `json:"signature_hash_algorithm"`
	SoftwareID              string     `json:"software_id"`
	EnableDNSAutomation     bool       `json:"enable_dns_automation"`
}

type createRequest struct {
	certRequest
	ProductID       int64  `json:"product_id"`
	Period          int    `json:"period"`
	TechnicalHandle string `json:"technical_handle"`
	Autorenew       string `json:"autorenew"`
	StartProvision  bool   `json:"start_provision"`
}

type reissueRequest struct {
	certRequest
	ID int `json:"id"`
}

type idData struct {
	ID int `json:"id"`
}

// orderView is an order as the API shows it.
type orderView struct {
	ID                       int        `json:"id"`
	ProductID                int64      `json:"product_id"`
	Status                   string     `json:"status"`
	CommonName               string     `json:"common_name"`
	HostNames                []string   `json:"host_names"`
	CSR                      string     `json:"csr"`
	Certificate              string     `json:"certificate"`
	IntermediateCertificate  string     `json:"intermediate_certificate"`
	RootCertificate          string     `json:"root_certificate"`
	OrderDate                string     `json:"order_date"`
	ActiveDate               string     `json:"active_date"`
	ExpirationDate           string     `json:"expiration_date"`
	OrderEndsAt              string     `json:"order_ends_at"`
	Period                   int        `json:"period"`
	Autorenew                string     `json:"autorenew"`
	Software                 string     `json:"software"`
	OrganizationHandle       string     `json:"organization_handle"`
	TechnicalHandle          string     `json:"technical_handle"`
	EmailApprover            string     `json:"email_approver"`
	DomainValidationMethods  []dvMethod `json:"domain_validation_methods"`
	DomainValidationStatuses dvStatuses `json:"domain_validation_statuses"`
	AdditionalData           []dvData   `json:"additional_data"`
}

type orderList struct {
	Results []orderView `json:"results"`
	Total   int         `json:"total"`
}

// Dates are "YYYY-MM-DD hh:mm:ss" without a time zone; the fake writes UTC.
func formatDate(t time.Time) string { return t.UTC().Format(time.DateTime) }

func parseDate(s string) time.Time {
	t, _ := time.ParseInLocation(time.DateTime, s, time.UTC)
	return t
}
