package v1alpha1

import (
	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// DCV makes certorder publish the CA's domain control validation token in
// DNS itself, through one of cert-manager's DNS01 providers, instead of
// showing it in the request's message for a person to publish.
type DCV struct {
	// DNS01 is the DNS provider that publishes the CA's TXT records, written
	// exactly as in an ACME issuer's dns01 solver. Its Secrets are read from
	// the issuer's namespace (or, for a cluster issuer, the cluster resource
	// namespace). Webhook solvers are not supported.
	// +kubebuilder:validation:XValidation:rule="!has(self.webhook)",message="webhook DNS01 solvers are not supported for domain validation"
	// +optional
	DNS01 *cmacme.ACMEChallengeSolverDNS01 `json:"dns01,omitempty"`

	// Selector limits DNS01 to some names. Names outside it are left to a
	// person: their token is shown in the request's message, as without
	// a dcv block. When empty, DNS01 serves every name.
	// +optional
	Selector *DCVSelector `json:"selector,omitempty"`
}

// DCVSelector picks names as an ACME solver's selector does. A name matches
// when it is listed in DNSNames, or when it is one of DNSZones or below it.
// When both are set, a name matching either is selected.
type DCVSelector struct {
	// DNSNames are exact names (a wildcard name is written as in the
	// certificate, for example "*.example.com").
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:items:MaxLength=253
	// +optional
	DNSNames []string `json:"dnsNames,omitempty"`

	// DNSZones select a zone and every name below it.
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:items:MaxLength=253
	// +optional
	DNSZones []string `json:"dnsZones,omitempty"`
}

// OpenproviderDCV is DCV plus Openprovider's own DNS automation.
// +kubebuilder:validation:XValidation:rule="has(self.dns01) || (has(self.enableDNSAutomation) && self.enableDNSAutomation)",message="dcv needs dns01, enableDNSAutomation, or both"
type OpenproviderDCV struct {
	DCV `json:",inline"`

	// EnableDNSAutomation is sent as enable_dns_automation with orders and
	// reissues: Openprovider then publishes the validation records itself,
	// for zones that Openprovider hosts.
	// +optional
	EnableDNSAutomation bool `json:"enableDNSAutomation,omitempty"`
}

// DCVState is what hands-free DNS validation did for one order: the
// records it was asked to publish and when each step happened. The request
// path stores it with the order, so that after a restart nothing is
// published twice and nothing is left behind.
type DCVState struct {
	// Records the CA expects, one per name pending validation.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=250
	// +optional
	Records []DCVRecord `json:"records,omitempty"`

	// StartedAt is when validation of the order started.
	// +optional
	StartedAt *metav1.Time `json:"startedAt,omitempty"`

	// LastCheckAt is when the CA was last asked to check the records.
	// +optional
	LastCheckAt *metav1.Time `json:"lastCheckAt,omitempty"`

	// ValidatedAt is when the CA reported every name validated.
	// +optional
	ValidatedAt *metav1.Time `json:"validatedAt,omitempty"`
}

// DCVRecord is one TXT record and what happened to it.
type DCVRecord struct {
	// Domain the CA validates with the record.
	Domain string `json:"domain"`
	// Name of the TXT record, fully qualified.
	Name string `json:"name"`
	// Value of the TXT record.
	Value string `json:"value"`
	// Manual is true for a name outside the dcv selector: a person
	// publishes it.
	// +optional
	Manual bool `json:"manual,omitempty"`
	// PublishedAt is when the DNS provider accepted the record.
	// +optional
	PublishedAt *metav1.Time `json:"publishedAt,omitempty"`
	// PropagatedAt is when every authoritative nameserver served it.
	// +optional
	PropagatedAt *metav1.Time `json:"propagatedAt,omitempty"`
	// Validated is true once the CA accepted the domain.
	// +optional
	Validated bool `json:"validated,omitempty"`
	// RemovedAt is when the record was removed again.
	// +optional
	RemovedAt *metav1.Time `json:"removedAt,omitempty"`
}
