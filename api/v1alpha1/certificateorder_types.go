package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
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

	// CertificateSerials are the serial numbers (lower-case hex) of the
	// certificates in CertificateIDs, oldest first. With a reused key a new
	// CSR is byte-identical to the last, so recovery never takes a
	// certificate listed here or in CertificateIDs as an answer.
	// +optional
	CertificateSerials []string `json:"certificateSerials,omitempty"`

	// Adopted is true when OrderID was adopted through the
	// certorder.dev/order-id annotation rather than bought by certorder.
	// +optional
	Adopted bool `json:"adopted,omitempty"`

	// AnnotationsUsed are the values of the user's certorder.dev/order-id and
	// certorder.dev/action annotations that a request already acted on. A
	// value is acted on once; it is forgotten when a request comes without
	// the annotation, so setting it again acts again.
	// +optional
	AnnotationsUsed AnnotationsUsed `json:"annotationsUsed,omitempty"`

	// Submission is the latest call that spends or issues at the CA: written
	// before the call, with the CA's handle after it. It is kept after it
	// ends so that its request can finish after a crash.
	// +optional
	Submission *Submission `json:"submission,omitempty"`

	// DCV is what hands-free DNS validation did for the submission: the
	// records published through the issuer's dcv.dns01 provider, and when
	// each was published, seen, validated and removed. A new submission
	// starts with none.
	// +optional
	DCV *DCVState `json:"dcv,omitempty"`
}

// AnnotationsUsed records user annotations already acted on.
type AnnotationsUsed struct {
	// OrderID is the certorder.dev/order-id value already read.
	// +optional
	OrderID string `json:"orderID,omitempty"`
	// Action is the certorder.dev/action value already applied.
	// +optional
	Action string `json:"action,omitempty"`
}

// SubmissionPhase is how far a submission got.
// +kubebuilder:validation:Enum=Intent;Accepted;Issued;Failed
type SubmissionPhase string

const (
	// SubmissionIntent: recorded before the CA call; the CA may or may not
	// hold it. Nothing is submitted for the Certificate until it is settled:
	// its handle recorded, or the CA found not to hold it once the
	// in-flight window closed.
	SubmissionIntent SubmissionPhase = "Intent"
	// SubmissionAccepted: the CA's handle is recorded; the request polls it.
	SubmissionAccepted SubmissionPhase = "Accepted"
	// SubmissionIssued: the certificate was issued and recorded.
	SubmissionIssued SubmissionPhase = "Issued"
	// SubmissionFailed: the CA ended it without a certificate.
	SubmissionFailed SubmissionPhase = "Failed"
)

// Submission is one order, reissue or duplicate sent to the CA.
type Submission struct {
	// Phase of the submission.
	Phase SubmissionPhase `json:"phase"`

	// Action is Order, Reissue or Duplicate.
	// +kubebuilder:validation:Enum=Order;Reissue;Duplicate
	Action string `json:"action"`

	// OrderID is the order reissued or duplicated.
	// +optional
	OrderID string `json:"orderID,omitempty"`

	// RenewalOfOrderID is the order a new order renews.
	// +optional
	RenewalOfOrderID string `json:"renewalOfOrderID,omitempty"`

	// CSR is the PEM request submitted: recovery finds the submission at
	// the CA by it.
	CSR []byte `json:"csr"`

	// CSRSHA256 is the hex SHA-256 of the CSR's DER bytes.
	CSRSHA256 string `json:"csrSHA256"`

	// CommonName and DNSNames of the CSR.
	CommonName string `json:"commonName"`
	// +optional
	DNSNames []string `json:"dnsNames,omitempty"`

	// RequestName and RequestUID are the CertificateRequest that submitted.
	RequestName string    `json:"requestName"`
	RequestUID  types.UID `json:"requestUID"`

	// IntentAt is when the submission was recorded, just before the call.
	IntentAt metav1.MicroTime `json:"intentAt"`

	// Deadline closes the in-flight window: until then the call may still
	// be under way, and nothing is submitted or looked up for the
	// Certificate.
	Deadline metav1.MicroTime `json:"deadline"`

	// Handle is what the CA created, once known.
	// +optional
	Handle *SubmissionHandle `json:"handle,omitempty"`

	// AcceptedAt is when the handle was recorded.
	// +optional
	AcceptedAt *metav1.MicroTime `json:"acceptedAt,omitempty"`

	// Message is the CA's reason when the submission failed.
	// +optional
	Message string `json:"message,omitempty"`
}

// SubmissionHandle is the CA's identifiers of a submission.
type SubmissionHandle struct {
	// +optional
	OrderID string `json:"orderID,omitempty"`
	// +optional
	RequestID string `json:"requestID,omitempty"`
	// +optional
	CertificateID string `json:"certificateID,omitempty"`
	// Serial of the issued leaf, lower-case hex.
	// +optional
	Serial string `json:"serial,omitempty"`
}

// CertificateOrder is the ledger of one cert-manager Certificate and one
// issuer: the order its requests build on, and every submission that spends
// or issues, recorded before the CA is called. It is named
// <certificate>-<hash of the issuer's kind and name> and outlives the
// CertificateRequests that used it, so a renewal finds the order to
// duplicate or reissue instead of buying a new one, a replaced request
// settles its predecessor's submission, and `kubectl get certificateorders
// -A` shows what was bought.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=corder,categories={certorder,cert-manager}
// +kubebuilder:printcolumn:name="Provider",type=string,JSONPath=`.spec.provider`
// +kubebuilder:printcolumn:name="Order",type=string,JSONPath=`.status.orderID`
// +kubebuilder:printcolumn:name="Common Name",type=string,JSONPath=`.status.commonName`
// +kubebuilder:printcolumn:name="State",type=string,JSONPath=`.status.state`
// +kubebuilder:printcolumn:name="Valid Until",type=date,JSONPath=`.status.orderValidUntil`
// +kubebuilder:printcolumn:name="Submission",type=string,JSONPath=`.status.submission.phase`,priority=1
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
