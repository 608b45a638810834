package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// SecretKeySelector names one key of a Secret. The Secret is read from the
// issuer's own namespace, or from the controller's cluster resource namespace
// for cluster-scoped issuers; never from anywhere else.
type SecretKeySelector struct {
	// Name of the Secret.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`

	// Key within the Secret's data.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Key string `json:"key"`
}

// CAConnection holds the settings shared by every provider for reaching the
// CA and for pacing the polls of a pending certificate.
type CAConnection struct {
	// PollInterval is the first wait between polls of a pending order. Each
	// further poll doubles it, capped at 15 minutes. It is at least 10s, so
	// one issuer cannot spend its CA's rate limit (shared with every other
	// issuer of the same credential) on polls; only an issuer whose url is
	// a plain-http loopback address, which can only be a local fake, may
	// poll faster.
	// +kubebuilder:default="1m"
	// +optional
	PollInterval *metav1.Duration `json:"pollInterval,omitempty"`

	// CABundleSecretRef names a Secret key holding PEM certificates to trust
	// for the CA's API endpoint, in addition to the system roots. TLS is
	// always verified.
	// +optional
	CABundleSecretRef *SecretKeySelector `json:"caBundleSecretRef,omitempty"`

	// ProxyURL is an HTTP(S) proxy for calls to the CA, with no query,
	// fragment or user info. When empty the standard HTTPS_PROXY / NO_PROXY
	// environment applies. A namespaced issuer may only name a proxy host
	// the cluster operator allowed with --namespaced-issuer-allowed-hosts.
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="isURL(self) && (self.startsWith('http://') || self.startsWith('https://'))",message="proxyURL must be an http:// or https:// URL"
	// +kubebuilder:validation:XValidation:rule="!self.contains('?') && !self.contains('#') && !self.contains('@')",message="proxyURL may carry no query (?), fragment (#) or user info (@)"
	// +optional
	ProxyURL string `json:"proxyURL,omitempty"`
}

// Guardrails limit who may use an issuer, for which names, and how many
// paid orders it may place. A request outside them fails with a message
// naming the rule, and nothing is sent to the CA.
type Guardrails struct {
	// AllowedNamespaces selects, by their labels, the namespaces whose
	// requests a cluster issuer serves; unset, it serves every namespace.
	// Cluster issuers only: a namespaced issuer serves its own namespace.
	// +optional
	AllowedNamespaces *metav1.LabelSelector `json:"allowedNamespaces,omitempty"`

	// AllowedDNSNames are the names a request may carry: each of its names
	// must match one. A pattern is a name (www.example.com), or *. and a
	// domain (*.example.com), which matches every name under the domain at
	// any depth, wildcards included, but not the domain itself. Unset: any
	// name.
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:items:MaxLength=253
	// +kubebuilder:validation:items:Pattern=`^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$`
	// +listType=set
	// +optional
	AllowedDNSNames []string `json:"allowedDNSNames,omitempty"`

	// NewOrderBudget is the most new, paid orders the issuer places in any
	// 24 hours, counted from its CertificateOrders. Reissues and duplicates
	// are free and not counted. Over budget, requests stay Pending until an
	// order leaves the window or the budget is raised. 0 allows no new
	// orders at all.
	// +kubebuilder:default=50
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100000
	// +optional
	NewOrderBudget *int32 `json:"newOrderBudget,omitempty"`
}

// DefaultNewOrderBudget applies when an issuer's newOrderBudget is unset:
// enough for a team to roll out dozens of new Certificates in a day, while
// a loop that orders again and again stops within the day at a known cost.
const DefaultNewOrderBudget = 50

// IssuerStatus is the observed state of any certorder issuer.
type IssuerStatus struct {
	// Conditions hold Ready: True once the credentials were checked with the
	// CA, False with a reason (SecretNotFound, SecretKeyMissing, AuthFailed,
	// CAUnreachable) that says what to fix.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// ConditionReady is the condition type that tells whether an issuer can be
// used, or whether a CertificateOrder is live.
const ConditionReady = "Ready"
