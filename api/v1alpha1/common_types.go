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
