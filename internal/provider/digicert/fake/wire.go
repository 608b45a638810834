package fake

import (
	"encoding/json"
	"net/http"
)

// IDRef is CertCentral's {"id": N} reference.
type IDRef struct {
	ID int64 `json:"id"`
}

// Validity is {"years"} or {"days"}.
type Validity struct {
	Years int `json:"years,omitempty"`
	Days  int `json:"days,omitempty"`
}

// CustomField is one entry of custom_fields.
type CustomField struct {
	MetadataID int64  `json:"metadata_id"`
	Value      string `json:"value"`
}

// CertificateRequest is the "certificate" object of a submission.
type CertificateRequest struct {
	CommonName        string    `json:"common_name"`
	DNSNames          []string  `json:"dns_names"`
	CSR               string    `json:"csr"`
	SignatureHash     string    `json:"signature_hash"`
	ServerPlatform    *IDRef    `json:"server_platform"`
	OrganizationUnits []string  `json:"organization_units"`
	CACertID          string    `json:"ca_cert_id"`
	CertValidity      *Validity `json:"cert_validity"`
}

// OrganizationRef is an order's organization: its id, and contacts the
// fake accepts and ignores.
type OrganizationRef struct {
	ID       int64           `json:"id"`
	Contacts json.RawMessage `json:"contacts,omitempty"`
}

// OrderRequest is the body of a new order, kept as received so that tests
// can check every field a client sent.
type OrderRequest struct {
	Certificate                 CertificateRequest `json:"certificate"`
	Organization                *OrganizationRef   `json:"organization"`
	Container                   *IDRef             `json:"container"`
	ValidityYears               int                `json:"validity_years"`
	OrderValidity               *Validity          `json:"order_validity"`
	SkipApproval                bool               `json:"skip_approval"`
	DCVMethod                   string             `json:"dcv_method"`
	PaymentMethod               string             `json:"payment_method"`
	Comments                    string             `json:"comments"`
	CustomFields                []CustomField      `json:"custom_fields"`
	RenewalOfOrderID            int64              `json:"renewal_of_order_id"`
	DisableRenewalNotifications *bool              `json:"disable_renewal_notifications"`
	AutoRenew                   *int               `json:"auto_renew"`
	// Documented fields the fake accepts and ignores.
	Locale               string          `json:"locale"`
	DisableCT            json.RawMessage `json:"disable_ct"`
	CustomExpirationDate string          `json:"custom_expiration_date"`
	CustomRenewalMessage string          `json:"custom_renewal_message"`
	DCVEmails            json.RawMessage `json:"dcv_emails"`
	TechnicalContact     json.RawMessage `json:"technical_contact"`
}

// ReissueRequest is the body of a reissue: its cert_validity sits inside
// certificate (the reissue docs).
type ReissueRequest struct {
	Certificate  CertificateRequest `json:"certificate"`
	Comments     string             `json:"comments"`
	SkipApproval bool               `json:"skip_approval"`
}

// DuplicateRequest is the body of a duplicate: the duplicate docs list the
// certificate object alone.
type DuplicateRequest struct {
	Certificate CertificateRequest `json:"certificate"`
}

type requestRef struct {
	ID     int64  `json:"id"`
	Status string `json:"status,omitempty"`
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
	ID       int64    `json:"id"`
	DNSName  string   `json:"dns_name"`
	DCVToken dcvToken `json:"dcv_token"`
}

// submitAnswer is the 201 of an order, reissue or duplicate, in one of
// the three shapes.
type submitAnswer struct {
	ID               int64        `json:"id"`
	Requests         []requestRef `json:"requests,omitempty"`
	CertificateID    int64        `json:"certificate_id,omitempty"`
	CertificateChain []chainEntry `json:"certificate_chain,omitempty"`
	DCVRandomValue   string       `json:"dcv_random_value,omitempty"`
	Domains          []domainDCV  `json:"domains,omitempty"`
}

type certificateJSON struct {
	ID             int64    `json:"id,omitempty"`
	Thumbprint     string   `json:"thumbprint,omitempty"`
	CommonName     string   `json:"common_name"`
	DNSNames       []string `json:"dns_names"`
	CSR            string   `json:"csr,omitempty"`
	Status         string   `json:"status,omitempty"`
	DateCreated    string   `json:"date_created"`
	DateIssued     string   `json:"date_issued,omitempty"`
	ValidFrom      string   `json:"valid_from,omitempty"`
	ValidTill      string   `json:"valid_till,omitempty"`
	SerialNumber   string   `json:"serial_number,omitempty"`
	DaysRemaining  int      `json:"days_remaining,omitempty"`
	KeySize        int      `json:"key_size,omitempty"`
	SignatureHash  string   `json:"signature_hash,omitempty"`
	ServerPlatform *IDRef   `json:"server_platform,omitempty"`
}

type productJSON struct {
	NameID string `json:"name_id"`
}

type requestJSON struct {
	ID     int64  `json:"id"`
	Date   string `json:"date"`
	Type   string `json:"type"`
	Status string `json:"status"`
}

type orderJSON struct {
	ID             int64           `json:"id"`
	Status         string          `json:"status"`
	DateCreated    string          `json:"date_created"`
	OrderValidTill string          `json:"order_valid_till,omitempty"`
	DCVMethod      string          `json:"dcv_method,omitempty"`
	Certificate    certificateJSON `json:"certificate"`
	Product        productJSON     `json:"product"`
	Organization   *IDRef          `json:"organization,omitempty"`
	Container      *IDRef          `json:"container,omitempty"`
	Requests       []requestJSON   `json:"requests,omitempty"`
	IsRenewal      bool            `json:"is_renewal"`
	// IsMultiYearPlan is "1" for an order whose plan outlasts one
	// certificate; omitted otherwise (modelled: the docs name the field,
	// public clients read "1").
	IsMultiYearPlan string `json:"is_multi_year_plan,omitempty"`
}

// listedCertificateJSON is the certificate of an order in the order list:
// the fields of the list-orders docs.
type listedCertificateJSON struct {
	ID            int64    `json:"id,omitempty"`
	CommonName    string   `json:"common_name"`
	DNSNames      []string `json:"dns_names"`
	ValidTill     string   `json:"valid_till,omitempty"`
	SignatureHash string   `json:"signature_hash,omitempty"`
}

// orderSummaryJSON is an order in the order list.
type orderSummaryJSON struct {
	ID             int64                 `json:"id"`
	Certificate    listedCertificateJSON `json:"certificate"`
	Status         string                `json:"status"`
	DateCreated    string                `json:"date_created"`
	OrderValidTill string                `json:"order_valid_till,omitempty"`
	Organization   *IDRef                `json:"organization,omitempty"`
	Container      *IDRef                `json:"container,omitempty"`
	Product        productJSON           `json:"product"`
	IsRenewal      bool                  `json:"is_renewal"`
}

func (j orderJSON) summary() orderSummaryJSON {
	c := j.Certificate
	return orderSummaryJSON{
		ID:             j.ID,
		Certificate:    listedCertificateJSON{ID: c.ID, CommonName: c.CommonName, DNSNames: c.DNSNames, ValidTill: c.ValidTill, SignatureHash: c.SignatureHash},
		Status:         j.Status,
		DateCreated:    j.DateCreated,
		OrderValidTill: j.OrderValidTill,
		Organization:   j.Organization,
		Container:      j.Container,
		Product:        j.Product,
		IsRenewal:      j.IsRenewal,
	}
}

type pageJSON struct {
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

type requestInfoJSON struct {
	requestJSON
	DateProcessed    string    `json:"date_processed,omitempty"`
	Comments         string    `json:"comments,omitempty"`
	ProcessorComment string    `json:"processor_comment,omitempty"`
	Order            orderJSON `json:"order"`
}

type errorItem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers with CertCentral's error envelope.
func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string][]errorItem{"errors": {{Code: code, Message: message}}})
}

// apiError is a CertCentral error answer decided inside the model.
type apiError struct {
	status        int
	code, message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func (e *apiError) write(w http.ResponseWriter) { writeError(w, e.status, e.code, e.message) }
