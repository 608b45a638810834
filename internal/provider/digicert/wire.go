package digicert

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ID is a CertCentral id. DigiCert sends ids as JSON numbers, but some
// clients and fixtures show them quoted; both are accepted.
type ID int64

// UnmarshalJSON accepts 123 and "123".
func (id *ID) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*id = 0
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("id %s is not an integer", b)
	}
	*id = ID(n)
	return nil
}

func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

// idRef is DigiCert's {"id": N} reference (organization, container,
// server_platform).
type idRef struct {
	ID ID `json:"id"`
}

type validityBody struct {
	Years int `json:"years,omitempty"`
	Days  int `json:"days,omitempty"`
}

type customField struct {
	MetadataID int64  `json:"metadata_id"`
	Value      string `json:"value"`
}

// certificateBody is the "certificate" object of orders, reissues and
// duplicates. The API reads no field out of the CSR: the names are sent
// explicitly.
type certificateBody struct {
	CommonName        string        `json:"common_name"`
	DNSNames          []string      `json:"dns_names,omitempty"`
	CSR               string        `json:"csr"`
	SignatureHash     string        `json:"signature_hash"`
	ServerPlatform    idRef         `json:"server_platform"`
	OrganizationUnits []string      `json:"organization_units,omitempty"`
	CACertID          string        `json:"ca_cert_id,omitempty"`
	CertValidity      *validityBody `json:"cert_validity,omitempty"`
}

// orderRequest is the body of POST /order/certificate/{product_name_id}.
type orderRequest struct {
	Certificate      certificateBody `json:"certificate"`
	Organization     *idRef          `json:"organization,omitempty"`
	Container        *idRef          `json:"container,omitempty"`
	ValidityYears    int             `json:"validity_years,omitempty"`
	OrderValidity    *validityBody   `json:"order_validity,omitempty"`
	SkipApproval     bool            `json:"skip_approval,omitempty"`
	DCVMethod        string          `json:"dcv_method,omitempty"`
	PaymentMethod    string          `json:"payment_method,omitempty"`
	Comments         string          `json:"comments,omitempty"`
	CustomFields     []customField   `json:"custom_fields,omitempty"`
	RenewalOfOrderID ID              `json:"renewal_of_order_id,omitempty"`
	// certorder places renewals itself, so DigiCert must neither renew on
	// its own (a second paid order) nor mail people asking them to renew
	// by hand (a third): both are always sent, off.
	DisableRenewalNotifications bool `json:"disable_renewal_notifications"`
	AutoRenew                   int  `json:"auto_renew"`
}

// reissueRequest is the body of POST .../{order_id}/reissue. Its
// certificate carries cert_validity only for an order on a Multi-year Plan.
type reissueRequest struct {
	Certificate  certificateBody `json:"certificate"`
	Comments     string          `json:"comments,omitempty"`
	SkipApproval bool            `json:"skip_approval,omitempty"`
}

// duplicateRequest is the body of POST .../{order_id}/duplicate: the
// duplicate docs list the certificate object and nothing else.
type duplicateRequest struct {
	Certificate certificateBody `json:"certificate"`
}

type requestRef struct {
	ID     ID     `json:"id"`
	Type   string `json:"type"`
	Status string `json:"status"`
}

type chainEntry struct {
	SubjectCommonName string `json:"subject_common_name"`
	PEM               string `json:"pem"`
}

type dcvToken struct {
	Token          string `json:"token"`
	Status         string `json:"status"`
	ExpirationDate string `json:"expiration_date"`
}

type domainDCV struct {
	ID       ID        `json:"id"`
	DNSName  string    `json:"dns_name"`
	DCVToken *dcvToken `json:"dcv_token"`
}

// submitResponse holds the three 201 shapes of an order (and those of a
// reissue or duplicate): requests pending approval; a certificate id with
// DCV details; or the issued chain.
type submitResponse struct {
	ID               ID           `json:"id"`
	Requests         []requestRef `json:"requests"`
	CertificateID    ID           `json:"certificate_id"`
	CertificateChain []chainEntry `json:"certificate_chain"`
	DCVRandomValue   string       `json:"dcv_random_value"`
	Domains          []domainDCV  `json:"domains"`
}

type orderCertificate struct {
	ID           ID       `json:"id"`
	Thumbprint   string   `json:"thumbprint"`
	SerialNumber string   `json:"serial_number"`
	CommonName   string   `json:"common_name"`
	DNSNames     []string `json:"dns_names"`
	CSR          string   `json:"csr"`
	DateCreated  string   `json:"date_created"`
	DateIssued   string   `json:"date_issued"`
	ValidFrom    string   `json:"valid_from"`
	ValidTill    string   `json:"valid_till"`
}

// hasCertificateData tells whether DigiCert described an issued
// certificate: a serial number, thumbprint or validity dates.
func (c orderCertificate) hasCertificateData() bool {
	return c.SerialNumber != "" || c.Thumbprint != "" || c.ValidFrom != "" || c.ValidTill != ""
}

// orderInfo is GET /order/certificate/{order_id}.
type orderInfo struct {
	ID             ID               `json:"id"`
	Status         string           `json:"status"`
	DateCreated    string           `json:"date_created"`
	OrderValidTill string           `json:"order_valid_till"`
	DCVMethod      string           `json:"dcv_method"`
	Certificate    orderCertificate `json:"certificate"`
	Requests       []requestRef     `json:"requests"`
	// IsMultiYearPlan is "1" for an order on a Multi-year Plan; only such
	// an order takes a cert_validity on reissue.
	IsMultiYearPlan flag `json:"is_multi_year_plan"`
}

// flag is a DigiCert yes/no field, sent as "1"/"0", 1/0 or true/false.
type flag bool

// UnmarshalJSON reads "1", 1 and true as true, anything else as false.
func (f *flag) UnmarshalJSON(b []byte) error {
	switch strings.Trim(string(b), `"`) {
	case "1", "true":
		*f = true
	default:
		*f = false
	}
	return nil
}

type orderSummary struct {
	ID          ID               `json:"id"`
	Status      string           `json:"status"`
	DateCreated string           `json:"date_created"`
	Certificate orderCertificate `json:"certificate"`
}

type page struct {
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// orderList is GET /order/certificate.
type orderList struct {
	Orders []orderSummary `json:"orders"`
	Page   page           `json:"page"`
}

// certificateList is GET .../{order_id}/reissue and .../duplicate.
type certificateList struct {
	Certificates []orderCertificateEntry `json:"certificates"`
}

type orderCertificateEntry struct {
	orderCertificate
	Status string `json:"status"`
}

// requestInfo is GET /request/{request_id}.
type requestInfo struct {
	ID               ID     `json:"id"`
	Type             string `json:"type"`
	Status           string `json:"status"`
	ProcessorComment string `json:"processor_comment"`
}

// dcvRandomValue is PUT /order/certificate/{order_id}/dcv-random-value.
type dcvRandomValue struct {
	DCVRandomValue string `json:"dcv_random_value"`
	ExpirationDate string `json:"expiration_date"`
}

// parseTime reads DigiCert's timestamps (ISO 8601 with an offset) and dates
// (yyyy-MM-dd, read as the start of that day in UTC, so a plan is never
// taken to last longer than it does).
func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05-0700", "2006-01-02 15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// decodeJSON decodes a 2xx body. A body that is not the JSON promised is a
// fault on the way (a proxy page, a cut body) rather than an answer.
func decodeJSON(endpoint string, body []byte, out any) error {
	if err := json.Unmarshal(body, out); err != nil {
		return transientf("%s: the response is not the expected JSON (%d bytes): %w", endpoint, len(body), err)
	}
	return nil
}
