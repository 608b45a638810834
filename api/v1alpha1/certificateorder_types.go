package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Provider names a certificate authority certorder can order from.
// +kubebuilder:validation:Enum=DigiCert;Openprovider
type Provider string

const (
	// ProviderDigiCert is DigiCert CertCentral.
	ProviderDigiCert Provider = "DigiCert"
	// ProviderOpenprovider is Openprovider SSL.
	ProviderOpenprovider Provider = "Openprovider"
)

// OrderState is the lifecycle of an order at the CA, as certorder last saw it.
// +kubebuilder:validation:Enum=Pending;Active;Expired;Failed
type OrderState string

const (
	// OrderPending: placed, not yet issued.
	OrderPending OrderState = "Pending"
	// OrderActive: issued and inside its plan; renewals reuse it.
	OrderActive OrderState = "Active"
	// OrderExpired: the plan ended; a renewal places a new order.
	OrderExpired OrderState = "Expired"
	// OrderFailed: rejected or cancelled by the CA.
	OrderFailed OrderState = "Failed"
)

// IssuerReference identifies the certorder issuer an order was placed through.
type IssuerReference struct {
	// Name of the issuer.
	// +kubebuilder:validation:MinLength=1
	Name string `json:"name"`
	// Kind of the issuer, for example DigiCertIssuer.
	// +kubebuilder:validation:Enum=DigiCertIssuer;DigiCertClusterIssuer;OpenproviderIssuer;OpenproviderClusterIssuer
	Kind string `json:"kind"`
	// Group of the issuer.
	// +kubebuilder:default=certorder.dev
	// +optional
	Group string `json:"group,omitempty"`
}

// CertificateOrderSpec says which Certificate and issuer an order serves.
// certorder writes it; it is not meant to be edited by hand.
type CertificateOrderSpec struct {
	// CertificateName is the cert-manager Certificate, in the same namespace,
	// whose requests are served by this order.
	// +kubebuilder:validation:MinLength=1
	CertificateName string `json:"certificateName"`

	// IssuerRef is the issuer the order was placed through.
	IssuerRef IssuerReference `json:"issuerRef"`

	// Provider is the CA that holds the order.
	Provider Provider `json:"provider"`
}

// CertificateOrderStatus is what the CA holds for the order.
type CertificateOrderStatus struct {
	// OrderID is the CA's order id.
	// +optional
	OrderID string `json:"orderID,omitempty"`

	// PreviousOrderIDs are orders this Certificate held before, newest first;
	// a renewal order names the newest as the order it renews.
	// +optional
	PreviousOrderIDs []string `json:"previousOrderIDs,omitempty"`

	// CommonName of the order.
	// +optional
	CommonName string `json:"commonName,omitempty"`

	// DNSNames of the order.
	// +optional
	DNSNames []string `json:"dnsNames,omitempty"`

	// OrderValidUntil is the end of the order (the plan): no certificate
	// issued under it can outlive this time.
	// +optional
	OrderValidUntil *metav1.Time `json:"orderValidUntil,omitempty"`

	// CertificateIDs are the CA's ids of the certificates issued under the
	// order by certorder, oldest first.
	// +optional
	CertificateIDs []string `json:"certificateIDs,omitempty"`

	// LastIssued is when certorder last received a certificate of the order.
	// +optional
	LastIssued *metav1.Time `json:"lastIssued,omitempty"`

	// NotAfter of the newest certificate received under the order.
	// +optional
	NotAfter *metav1.Time `json:"notAfter,omitempty"`

	// State of the order at the CA.
	// +optional
	State OrderState `json:"state,omitempty"`

	// NewOrdersPlaced are the times certorder submitted a new, paid order
	// through this record in the last 24 hours, oldest first. The issuer's
	// new-order budget is counted from them; older entries are dropped
	// whenever the record is written.
	// +optional
	NewOrdersPlaced []metav1.Time `json:"newOrdersPlaced,omitempty"`
}

// CertificateOrder records one order placed with a CA for one cert-manager
// Certificate and issuer. It outlives the CertificateRequests that used it,
// so a renewal finds the order to duplicate or reissue instead of buying a
// new one, and `kubectl get certificateorders -A` shows what was bought.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=corder,categories={certorder,cert-manager}
// +kubebuilder:printcolumn:name="Provider",type=string,JSONPath=`.spec.provider`
// +kubebuilder:printcolumn:name="Order",type=string,JSONPath=`.status.orderID`
// +kubebuilder:printcolumn:name="Common Name",type=string,JSONPath=`.status.commonName`
// +kubebuilder:printcolumn:name="State",type=string,JSONPath=`.status.state`
// +kubebuilder:printcolumn:name="Valid Until",type=date,JSONPath=`.status.orderValidUntil`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type CertificateOrder struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   CertificateOrderSpec   `json:"spec"`
	Status CertificateOrderStatus `json:"status,omitempty"`
}

// CertificateOrderList is a list of CertificateOrders.
// +kubebuilder:object:root=true
type CertificateOrderList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []CertificateOrder `json:"items"`
}

func init() {
	SchemeBuilder.Register(&CertificateOrder{}, &CertificateOrderList{})
}
