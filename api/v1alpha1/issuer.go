package v1alpha1

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
