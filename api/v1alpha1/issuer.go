package v1alpha1

import "time"

// The kinds of certorder issuers, as named in a CertificateRequest's issuerRef.
const (
	DigiCertIssuerKind            = "DigiCertIssuer"
	DigiCertClusterIssuerKind     = "DigiCertClusterIssuer"
	OpenproviderIssuerKind        = "OpenproviderIssuer"
	OpenproviderClusterIssuerKind = "OpenproviderClusterIssuer"
)

// GetStatus returns the issuer's status for the shared issuer reconciler.
func (i *DigiCertIssuer) GetStatus() *IssuerStatus { return &i.Status }

// GetStatus returns the issuer's status for the shared issuer reconciler.
func (i *DigiCertClusterIssuer) GetStatus() *IssuerStatus { return &i.Status }

// GetStatus returns the issuer's status for the shared issuer reconciler.
func (i *OpenproviderIssuer) GetStatus() *IssuerStatus { return &i.Status }

// GetStatus returns the issuer's status for the shared issuer reconciler.
func (i *OpenproviderClusterIssuer) GetStatus() *IssuerStatus { return &i.Status }

// +kubebuilder:object:generate=false

// IssuerSettings are the provider-neutral settings the controllers read from
// any issuer spec.
type IssuerSettings struct {
	Provider Provider
	// SecretNames are the Secrets the issuer reads, for watching them.
	SecretNames []string
	// PollInterval is the first wait between polls of a pending order.
	PollInterval time.Duration
	// Renewal is the DigiCert renewal policy; empty for Openprovider.
	Renewal RenewalPolicy
	// URL of the CA's API and ProxyURL, as in the spec (empty when unset).
	URL, ProxyURL string
	// Guardrails of the issuer: allowed namespaces and names, and the
	// new-order budget.
	Guardrails Guardrails
}

// DefaultPollInterval applies when an issuer's pollInterval is unset.
const DefaultPollInterval = time.Minute

func (c *CAConnection) pollInterval() time.Duration {
	if c.PollInterval == nil || c.PollInterval.Duration <= 0 {
		return DefaultPollInterval
	}
	return c.PollInterval.Duration
}

func (c *CAConnection) secretNames(primary string) []string {
	names := []string{primary}
	if c.CABundleSecretRef != nil && c.CABundleSecretRef.Name != primary {
		names = append(names, c.CABundleSecretRef.Name)
	}
	return names
}

// Settings of a DigiCert issuer spec.
func (s *DigiCertIssuerSpec) Settings() IssuerSettings {
	renewal := s.Renewal
	if renewal == "" {
		renewal = RenewalDuplicate
	}
	return IssuerSettings{
		Provider:     ProviderDigiCert,
		SecretNames:  s.secretNames(s.APIKeySecretRef.Name),
		PollInterval: s.pollInterval(),
		Renewal:      renewal,
		URL:          s.URL,
		ProxyURL:     s.ProxyURL,
		Guardrails:   s.Guardrails,
	}
}

// Settings of an Openprovider issuer spec.
func (s *OpenproviderIssuerSpec) Settings() IssuerSettings {
	return IssuerSettings{
		Provider:     ProviderOpenprovider,
		SecretNames:  s.secretNames(s.CredentialsSecretRef.Name),
		PollInterval: s.pollInterval(),
		URL:          s.URL,
		ProxyURL:     s.ProxyURL,
		Guardrails:   s.Guardrails,
	}
}

// Settings of the issuer.
func (i *DigiCertIssuer) Settings() IssuerSettings { return i.Spec.Settings() }

// Settings of the issuer.
func (i *DigiCertClusterIssuer) Settings() IssuerSettings { return i.Spec.Settings() }

// Settings of the issuer.
func (i *OpenproviderIssuer) Settings() IssuerSettings { return i.Spec.Settings() }

// Settings of the issuer.
func (i *OpenproviderClusterIssuer) Settings() IssuerSettings { return i.Spec.Settings() }
