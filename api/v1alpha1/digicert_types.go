package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// RenewalPolicy says what a DigiCert issuer does when a Certificate that
// already has a live order is renewed.
// +kubebuilder:validation:Enum=Duplicate;Reissue;Order
type RenewalPolicy string

const (
	// RenewalDuplicate asks for a duplicate of the live order: free, and the
	// previous certificate stays valid during the rollout.
	RenewalDuplicate RenewalPolicy = "Duplicate"
	// RenewalReissue reissues the live order: free, and DigiCert revokes the
	// previous certificate of the order after 72 hours.
	RenewalReissue RenewalPolicy = "Reissue"
	// RenewalOrder places a new, paid order on every renewal.
	RenewalOrder RenewalPolicy = "Order"
)

// DigiCertIssuerSpec configures CertCentral Services API v2 for a
// DigiCertIssuer or a DigiCertClusterIssuer. Field names follow DigiCert's
// own request fields.
// +kubebuilder:validation:XValidation:rule="!has(self.pollInterval) || duration(self.pollInterval) >= duration('10s') || (has(self.url) && self.url.startsWith('http://'))",message="pollInterval must be at least 10s (only a plain-http loopback url, a local fake, may poll faster)"
type DigiCertIssuerSpec struct {
	// Adoption of orders bought outside certorder (certorder.dev/order-id); off by default.
	// +optional
	Adoption Adoption `json:"adoption,omitempty"`

	// URL of the CertCentral Services API v2
	// (https://certcentral.digicert.eu/services/v2 for CertCentral Europe).
	// It must use https, unless it is an IP-literal loopback address (a
	// local fake), and carries no query, fragment or user info. A
	// namespaced issuer may only use DigiCert's own hosts and those the
	// cluster operator allowed with --namespaced-issuer-allowed-hosts.
	// +kubebuilder:default="https://www.digicert.com/services/v2"
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="isURL(self) && (url(self).getScheme() == 'https' || self.matches('^http://(127[.](25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])[.](25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])[.](25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])|[[]::1[]])(:[0-9]{1,5})?(/.*)?$'))",message="url must be an https:// URL (plain http is allowed only to the IP literals 127.0.0.0/8 and ::1)"
	// +kubebuilder:validation:XValidation:rule="!self.contains('?') && !self.contains('#') && !self.contains('@')",message="url may carry no query (?), fragment (#) or user info (@)"
	// +optional
	URL string `json:"url,omitempty"`

	// APIKeySecretRef names the Secret key that holds the CertCentral API key
	// (sent as X-DC-DEVKEY).
	APIKeySecretRef SecretKeySelector `json:"apiKeySecretRef"`

	// ProductNameID is the CertCentral product, for example ssl_basic,
	// ssl_securesite_flex or ssl_ev_securesite_flex.
	// +kubebuilder:validation:Pattern=`^[a-z0-9_]+$`
	// +kubebuilder:validation:MaxLength=64
	ProductNameID string `json:"productNameID"`

	// OrganizationID of the prevalidated organization; required by OV and EV
	// products.
	// +kubebuilder:validation:Minimum=1
	// +optional
	OrganizationID *int64 `json:"organizationID,omitempty"`

	// ContainerID places orders in this CertCentral container (division).
	// +kubebuilder:validation:Minimum=1
	// +optional
	ContainerID *int64 `json:"containerID,omitempty"`

	// OrganizationUnits are sent as certificate.organization_units.
	// +kubebuilder:validation:MaxItems=10
	// +optional
	OrganizationUnits []string `json:"organizationUnits,omitempty"`

	// SignatureHash of the issued certificate.
	// +kubebuilder:validation:Enum=sha256;sha384;sha512
	// +kubebuilder:default=sha256
	// +optional
	SignatureHash string `json:"signatureHash,omitempty"`

	// ServerPlatformID is DigiCert's server platform; -1 means "other".
	// +kubebuilder:default=-1
	// +kubebuilder:validation:Minimum=-1
	// +optional
	ServerPlatformID *int32 `json:"serverPlatformID,omitempty"`

	// DCVMethod is the domain control validation method for new orders.
	// +kubebuilder:validation:Enum=email;dns-txt-token;dns-cname-token;http-token
	// +optional
	DCVMethod string `json:"dcvMethod,omitempty"`

	// SkipApproval skips the CertCentral approval step (the API key must be
	// allowed to approve requests).
	// +optional
	SkipApproval bool `json:"skipApproval,omitempty"`

	// PaymentMethod for new orders; when empty the account default applies.
	// +kubebuilder:validation:Enum=balance;card;profile;wire_transfer
	// +optional
	PaymentMethod string `json:"paymentMethod,omitempty"`

	// Validity of new orders (the plan length). Each certificate issued
	// under the plan is still capped by the CA/Browser Forum limit in force.
	// +optional
	Validity *Validity `json:"validity,omitempty"`

	// CACertID selects the issuing intermediate (ca_cert_id).
	// +kubebuilder:validation:MaxLength=64
	// +optional
	CACertID string `json:"caCertID,omitempty"`

	// CustomFields are sent with new orders as custom_fields.
	// +kubebuilder:validation:MaxItems=50
	// +optional
	CustomFields []CustomField `json:"customFields,omitempty"`

	// Renewal says what a renewal of a Certificate with a live order does:
	// Duplicate (default), Reissue, or a new paid Order. A renewal whose
	// names changed is always a Reissue, and one that would outlive the
	// order is always a new Order.
	// +kubebuilder:default=Duplicate
	// +optional
	Renewal RenewalPolicy `json:"renewal,omitempty"`

	// DCV publishes the DNS validation token through a DNS01 provider.
	// +kubebuilder:validation:XValidation:rule="has(self.dns01)",message="dcv.dns01 is required"
	// +optional
	DCV *DCV `json:"dcv,omitempty"`

	CAConnection `json:",inline"`
	Guardrails   `json:",inline"`
}

// Validity is the length of a new order: whole years or days, not both.
// +kubebuilder:validation:XValidation:rule="has(self.years) != has(self.days)",message="set exactly one of validity.years or validity.days"
type Validity struct {
	// Years of the order (validity_years).
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=6
	// +optional
	Years *int32 `json:"years,omitempty"`

	// Days of the order (order_validity.days).
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=2190
	// +optional
	Days *int32 `json:"days,omitempty"`
}

// CustomField is one of the account's order custom fields.
type CustomField struct {
	// MetadataID of the custom field in CertCentral.
	// +kubebuilder:validation:Minimum=1
	MetadataID int64 `json:"metadataID"`

	// Value of the field.
	// +kubebuilder:validation:MaxLength=1024
	Value string `json:"value"`
}

// DigiCertIssuer issues certificates from DigiCert CertCentral for
// CertificateRequests in its own namespace.
// +kubebuilder:validation:XValidation:rule="!has(self.spec.allowedNamespaces)",message="allowedNamespaces is for cluster issuers only: a namespaced issuer serves its own namespace"
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=dcissuer,categories={certorder,cert-manager}
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`
// +kubebuilder:printcolumn:name="Message",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type DigiCertIssuer struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   DigiCertIssuerSpec `json:"spec"`
	Status IssuerStatus       `json:"status,omitempty"`
}

// DigiCertIssuerList is a list of DigiCertIssuers.
// +kubebuilder:object:root=true
type DigiCertIssuerList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []DigiCertIssuer `json:"items"`
}

// DigiCertClusterIssuer issues certificates from DigiCert CertCentral for
// CertificateRequests in any namespace.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Cluster,shortName=dcclusterissuer,categories={certorder,cert-manager}
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`
// +kubebuilder:printcolumn:name="Message",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type DigiCertClusterIssuer struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   DigiCertIssuerSpec `json:"spec"`
	Status IssuerStatus       `json:"status,omitempty"`
}

// DigiCertClusterIssuerList is a list of DigiCertClusterIssuers.
// +kubebuilder:object:root=true
type DigiCertClusterIssuerList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []DigiCertClusterIssuer `json:"items"`
}

func init() {
	SchemeBuilder.Register(&DigiCertIssuer{}, &DigiCertIssuerList{}, &DigiCertClusterIssuer{}, &DigiCertClusterIssuerList{})
}
