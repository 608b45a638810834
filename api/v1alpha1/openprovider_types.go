package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// OpenproviderIssuerSpec configures Openprovider's REST API (SSL) for an
// OpenproviderIssuer or an OpenproviderClusterIssuer. Field names follow
// Openprovider's own request fields.
// +kubebuilder:validation:XValidation:rule="self.domainValidationMethod != 'email' || (has(self.approverEmail) && size(self.approverEmail) > 0)",message="approverEmail is required when domainValidationMethod is email"
// +kubebuilder:validation:XValidation:rule="!has(self.pollInterval) || duration(self.pollInterval) >= duration('10s') || (has(self.url) && self.url.startsWith('http://'))",message="pollInterval must be at least 10s (only a plain-http loopback url, a local fake, may poll faster)"
type OpenproviderIssuerSpec struct {
	// Adoption of orders bought outside certorder (certorder.dev/order-id); off by default.
	// +optional
	Adoption Adoption `json:"adoption,omitempty"`

	// URL of the Openprovider REST API. It must use https, unless it is an
	// IP-literal loopback address (a local fake), and carries no query,
	// fragment or user info. A namespaced issuer may only use
	// api.openprovider.eu and the hosts the cluster operator allowed with
	// --namespaced-issuer-allowed-hosts.
	// +kubebuilder:default="https://api.openprovider.eu/v1beta"
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="isURL(self) && (url(self).getScheme() == 'https' || self.matches('^http://(127[.](25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])[.](25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])[.](25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])|[[]::1[]])(:[0-9]{1,5})?(/.*)?$'))",message="url must be an https:// URL (plain http is allowed only to the IP literals 127.0.0.0/8 and ::1)"
	// +kubebuilder:validation:XValidation:rule="!self.contains('?') && !self.contains('#') && !self.contains('@')",message="url may carry no query (?), fragment (#) or user info (@)"
	// +optional
	URL string `json:"url,omitempty"`

	// CredentialsSecretRef names the Secret that holds the API user's
	// username and password.
	CredentialsSecretRef CredentialsSecretRef `json:"credentialsSecretRef"`

	// ProductID is the Openprovider SSL product (see GET /ssl/products).
	// +kubebuilder:validation:Minimum=1
	ProductID int64 `json:"productID"`

	// Period of new orders, in years.
	// +kubebuilder:validation:Enum=1;2
	// +kubebuilder:default=1
	// +optional
	Period int32 `json:"period,omitempty"`

	// OrganizationHandle is the customer handle of the organization (required
	// by OV and EV products).
	// +kubebuilder:validation:MaxLength=64
	// +optional
	OrganizationHandle string `json:"organizationHandle,omitempty"`

	// TechnicalHandle is the customer handle of the technical contact.
	// +kubebuilder:validation:MaxLength=64
	// +optional
	TechnicalHandle string `json:"technicalHandle,omitempty"`

	// ApproverEmail receives the validation mail when the method is email.
	// +kubebuilder:validation:MaxLength=254
	// +kubebuilder:validation:Pattern=`^[^@\s]+@[^@\s]+$`
	// +optional
	ApproverEmail string `json:"approverEmail,omitempty"`

	// DomainValidationMethod for every name of the certificate.
	// +kubebuilder:validation:Enum=dns;http;https;email
	// +kubebuilder:default=dns
	// +optional
	DomainValidationMethod string `json:"domainValidationMethod,omitempty"`

	// SoftwareID is the server software the certificate is for.
	// +kubebuilder:validation:Enum=linux;windows
	// +kubebuilder:default=linux
	// +optional
	SoftwareID string `json:"softwareID,omitempty"`

	// SignatureHashAlgorithm of the issued certificate.
	// +kubebuilder:validation:Enum=sha2
	// +kubebuilder:default=sha2
	// +optional
	SignatureHashAlgorithm string `json:"signatureHashAlgorithm,omitempty"`

	// DCV publishes the DNS validation records through a DNS01 provider,
	// or lets Openprovider publish them (enableDNSAutomation).
	// +optional
	DCV *OpenproviderDCV `json:"dcv,omitempty"`

	CAConnection `json:",inline"`
	Guardrails   `json:",inline"`
}

// CredentialsSecretRef names a Secret holding a username and a password.
type CredentialsSecretRef struct {
	// Name of the Secret.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`

	// UsernameKey is the key of the username in the Secret.
	// +kubebuilder:default=username
	// +kubebuilder:validation:MinLength=1
	// +optional
	UsernameKey string `json:"usernameKey,omitempty"`

	// PasswordKey is the key of the password in the Secret.
	// +kubebuilder:default=password
	// +kubebuilder:validation:MinLength=1
	// +optional
	PasswordKey string `json:"passwordKey,omitempty"`
}

// OpenproviderIssuer issues certificates ordered through Openprovider for
// CertificateRequests in its own namespace.
// +kubebuilder:validation:XValidation:rule="!has(self.spec.allowedNamespaces)",message="allowedNamespaces is for cluster issuers only: a namespaced issuer serves its own namespace"
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=opissuer,categories={certorder,cert-manager}
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`
// +kubebuilder:printcolumn:name="Message",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type OpenproviderIssuer struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   OpenproviderIssuerSpec `json:"spec"`
	Status IssuerStatus           `json:"status,omitempty"`
}

// OpenproviderIssuerList is a list of OpenproviderIssuers.
// +kubebuilder:object:root=true
type OpenproviderIssuerList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []OpenproviderIssuer `json:"items"`
}

// OpenproviderClusterIssuer issues certificates ordered through
// Openprovider for CertificateRequests in any namespace.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Cluster,shortName=opclusterissuer,categories={certorder,cert-manager}
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Reason",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`
// +kubebuilder:printcolumn:name="Message",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type OpenproviderClusterIssuer struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   OpenproviderIssuerSpec `json:"spec"`
	Status IssuerStatus           `json:"status,omitempty"`
}

// OpenproviderClusterIssuerList is a list of OpenproviderClusterIssuers.
// +kubebuilder:object:root=true
type OpenproviderClusterIssuerList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []OpenproviderClusterIssuer `json:"items"`
}

func init() {
	SchemeBuilder.Register(&OpenproviderIssuer{}, &OpenproviderIssuerList{}, &OpenproviderClusterIssuer{}, &OpenproviderClusterIssuerList{})
}
